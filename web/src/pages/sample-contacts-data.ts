/** The local stack's deterministic demo contacts (simulator numbers first), loaded only when someone asks for them. */
export { demoContacts } from '../../../local/demo-contacts';

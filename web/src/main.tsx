import { createRoot } from 'react-dom/client';
import { Root } from './root';
import './styles.css';

const element = document.getElementById('root');
if (element) createRoot(element).render(<Root />);

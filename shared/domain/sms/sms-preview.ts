import { withPlaceholderLinks } from '../links/short-links';
import { checkContent } from './content-checks';
import { analyzeMessage } from './message-analysis';
import { appendOptOutFooter } from './opt-out';
import type { ContentWarning, MessageAnalysis, MessageType, OptOutSettings, TemplateContact } from './sms.schema';
import { type CompiledTemplate, type CustomFieldNames, compileTemplate, type RenderOptions } from './template';
import { TemplateVariableError } from './template-errors';

export interface SmsPreviewInput {
  body: string;
  /** Defaults to PROMOTIONAL, the type with the stricter rules. */
  messageType?: MessageType;
  settings: OptOutSettings;
  businessName?: string | null;
  /** Personalise for this contact. */
  contact?: TemplateContact;
  /** Price the message for every one of these contacts (the audience) after personalisation. */
  audience?: Iterable<TemplateContact>;
  /** The tenant's custom field names; unknown variables without a default are then an error. */
  customFieldNames?: CustomFieldNames;
  /** Replace characters that force UCS-2 with their GSM-7 suggestions (in the body only, never in contact data). */
  applyReplacements?: boolean;
  /**
   * Links are tracked, through this short-link base: each is counted as the short link it becomes, its code a
   * fixed-length placeholder (codes always have the same length and only GSM-7 characters, so the count is exact).
   */
  shortLinkBase?: string;
}

/** Worst case and total over an audience, after personalisation. */
export interface AudienceSegments {
  /** The most segments any contact's message takes, and how many contacts get a message that long. */
  worstCase: { segments: number; contacts: number };
  /** Segments summed over the audience: what the campaign is billed. */
  estimatedSegments: number;
  contacts: number;
}

export interface SmsPreview extends MessageAnalysis {
  /** What would be sent: the footer appended where the settings say so, personalised when a contact is given. */
  finalBody: string;
  warnings: ContentWarning[];
  worstCase?: AudienceSegments['worstCase'];
  estimatedSegments?: number;
}

/**
 * Everything the composer's preview shows for a draft: the text as it would be sent, its encoding and segment count,
 * the characters forcing UCS-2, content warnings and, for an audience, the worst case and total segments.
 * Throws `TemplateSyntaxError` or `TemplateVariableError` (422 material) for a template that cannot be rendered.
 */
export function previewSmsMessage(input: SmsPreviewInput): SmsPreview {
  const messageType = input.messageType ?? 'PROMOTIONAL';
  const replaced = input.applyReplacements ? analyzeMessage(input.body, { applyReplacements: true }) : undefined;
  const body = replaced?.text ?? input.body;
  const footed = appendOptOutFooter(body, input.settings, messageType);
  const withFooter = input.shortLinkBase === undefined ? footed : withPlaceholderLinks(footed, input.shortLinkBase);
  const template = compileTemplate(withFooter);
  const renderOptions: RenderOptions = { customFieldNames: input.customFieldNames };
  if (input.customFieldNames !== undefined) assertKnownVariables(template, input.customFieldNames);

  const finalBody = input.contact ? template.render(input.contact, renderOptions) : withFooter;
  const analysis = analyzeMessage(finalBody);
  const audience = input.audience ? estimateAudienceSegments(template, input.audience, renderOptions) : undefined;
  const warnings = checkContent({
    body,
    messageType,
    businessName: input.businessName,
    optOutFooterAppended: footed !== body,
    analysis: {
      segments: Math.max(analysis.segments, audience?.worstCase.segments ?? 0),
      nonGsmCharacters: analysis.nonGsmCharacters,
    },
  });
  return {
    ...analysis,
    appliedReplacements: replaced?.appliedReplacements ?? [],
    finalBody,
    warnings,
    ...(audience && { worstCase: audience.worstCase, estimatedSegments: audience.estimatedSegments }),
  };
}

function assertKnownVariables(template: CompiledTemplate, customFieldNames: CustomFieldNames): void {
  const unknown = template.unknownVariables(customFieldNames);
  if (unknown.length > 0) throw new TemplateVariableError(unknown[0]!, unknown);
}

/**
 * Segments over an audience after personalisation, compiled once and counted per contact without rendering, so
 * 100k contacts stay interactive. Use `AudienceSegmentTally` directly when contacts arrive page by page.
 */
export function estimateAudienceSegments(
  template: CompiledTemplate,
  contacts: Iterable<TemplateContact>,
  options?: RenderOptions,
): AudienceSegments {
  const tally = new AudienceSegmentTally(template, options);
  for (const contact of contacts) tally.add(contact);
  return tally.summary();
}

/** Accumulates `AudienceSegments` one contact at a time. */
export class AudienceSegmentTally {
  private worstSegments = 0;
  private worstContacts = 0;
  private totalSegments = 0;
  private contacts = 0;

  constructor(
    private readonly template: CompiledTemplate,
    private readonly options?: RenderOptions,
  ) {}

  add(contact: TemplateContact): void {
    const segments = this.template.segmentsFor(contact, this.options);
    this.contacts++;
    this.totalSegments += segments;
    if (segments > this.worstSegments) {
      this.worstSegments = segments;
      this.worstContacts = 1;
    } else if (segments === this.worstSegments) {
      this.worstContacts++;
    }
  }

  summary(): AudienceSegments {
    return {
      worstCase: { segments: this.worstSegments, contacts: this.worstContacts },
      estimatedSegments: this.totalSegments,
      contacts: this.contacts,
    };
  }
}

// The one Markdown escaper lives in src-shared/text/markdown.ts; these names are the postmortem's and the review's.
export { mdInline as cell, mdInline as inline, mdTable as table } from '../../src-shared/text/markdown';

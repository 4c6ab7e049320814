import { markdownBlocks } from '../lib/markdown';

/** Markdown rendered as React elements, never as HTML. Headings start one level below the page's own. */
export function Markdown({ source, baseLevel = 2 }: { source: string; baseLevel?: 2 | 3 }) {
  return (
    <div className="prose">
      {markdownBlocks(source).map((block, i) => {
        if (block.kind === 'heading') {
          const level = Math.min(block.level + baseLevel - 1, 6);
          const Tag = `h${level}` as 'h2';
          return <Tag key={i}>{block.text}</Tag>;
        }
        if (block.kind === 'list') {
          const items = block.items.map((item, j) => <li key={j}>{item}</li>);
          return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
        }
        return <p key={i}>{block.text}</p>;
      })}
    </div>
  );
}

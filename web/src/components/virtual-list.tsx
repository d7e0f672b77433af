import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A windowed list of fixed-height rows: only the rows in view (plus a margin) are in the DOM,
 * so 1,000 monitors cost a few dozen elements. The page scrolls (not an inner box), so
 * keyboard and screen-reader users scroll as usual; rows are real links and buttons.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  render,
  label,
  overscan = 8,
}: {
  items: readonly T[];
  rowHeight: number;
  render: (item: T, index: number) => ComponentChildren;
  label: string;
  overscan?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ start: 0, end: 40 });
  useEffect(() => {
    const update = () => {
      const el = ref.current;
      if (!el) return;
      const top = el.getBoundingClientRect().top;
      const start = Math.max(0, Math.floor(-top / rowHeight) - overscan);
      const end = Math.min(items.length, Math.ceil((window.innerHeight - top) / rowHeight) + overscan);
      setRange((r) => (r.start === start && r.end === end ? r : { start, end }));
    };
    update();
    window.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [items.length, rowHeight]);

  // Keeps keyboard focus moving: a Tab past the last rendered row scrolls the next ones in.
  const onFocusIn = (e: FocusEvent) => {
    const row = (e.target as Element).closest<HTMLElement>('[data-index]');
    if (row) row.scrollIntoView({ block: 'nearest' });
  };

  const visible = items.slice(range.start, range.end);
  return (
    <div
      ref={ref}
      role="list"
      aria-label={label}
      aria-rowcount={items.length}
      class="vlist"
      style={{ height: items.length * rowHeight }}
      onFocusIn={onFocusIn}
    >
      {visible.map((item, i) => (
        <div
          role="listitem"
          key={range.start + i}
          data-index={range.start + i}
          class="vrow"
          style={{ top: (range.start + i) * rowHeight, height: rowHeight }}
        >
          {render(item, range.start + i)}
        </div>
      ))}
    </div>
  );
}

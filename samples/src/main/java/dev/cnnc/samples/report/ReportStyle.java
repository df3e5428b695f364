package dev.cnnc.samples.report;

/** The report's style sheet, inlined into the page so it needs no other file. */
final class ReportStyle {
    private ReportStyle() {
    }

    static final String CSS = """
        :root { --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --card: #ffffff; --page: #f3f4f6; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--page); color: var(--ink);
          font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif; }
        main { max-width: 1200px; margin: 0 auto; padding: 32px 24px 48px; }
        header { margin-bottom: 24px; }
        h1 { font-size: 28px; line-height: 1.2; margin: 0 0 4px; letter-spacing: -0.01em; }
        h2 { font-size: 19px; margin: 0 0 4px; }
        .subtitle { color: var(--muted); margin: 0 0 16px; }
        .facts { display: flex; flex-wrap: wrap; gap: 12px; }
        .fact { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 18px; min-width: 150px; }
        .fact .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .fact .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 20px 24px 24px;
          margin-bottom: 20px; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.04); }
        .note, .empty { color: var(--muted); font-size: 13.5px; margin: 0 0 14px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 20px; }
        figure { margin: 0; }
        .charts figcaption { font-weight: 600; font-size: 14px; margin-bottom: 2px; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg .grid { stroke: var(--line); stroke-width: 1; }
        svg .axis { stroke: #9ca3af; stroke-width: 1; }
        svg .tick { fill: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
        svg .axis-title { fill: #374151; font-size: 12.5px; }
        svg .legend { fill: #374151; font-size: 13px; }
        svg .series { fill: none; stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; }
        svg .point { stroke: #ffffff; stroke-width: 1.5; }
        .scroll { overflow-x: auto; }
        table.confusion { border-collapse: separate; border-spacing: 2px; font-variant-numeric: tabular-nums; font-size: 13px; }
        table.confusion td { min-width: 58px; height: 38px; text-align: center; border-radius: 4px; }
        table.confusion th { font-weight: 600; font-size: 12px; color: #374151; padding: 4px 6px; }
        table.confusion th.predicted { vertical-align: bottom; max-width: 76px; }
        table.confusion th.true { text-align: right; white-space: nowrap; }
        table.confusion th.corner { color: var(--muted); font-weight: 500; text-align: left; vertical-align: bottom; }
        table.confusion .summary { color: var(--muted); font-weight: 600; background: none; }
        table.confusion tr.summary th { text-align: right; color: var(--muted); }
        .filters { display: flex; flex-wrap: wrap; gap: 14px; }
        .filter { text-align: center; }
        .filter img { display: inline-block; margin: 0 1px; border: 1px solid #d1d5db; image-rendering: pixelated; }
        .filter figcaption { font-size: 12px; color: var(--muted); }
        .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 12px; }
        .example { border: 1px solid var(--line); border-radius: 8px; padding: 8px; text-align: center; background: #fafafa; }
        .example img { display: block; margin: 0 auto 6px; image-rendering: pixelated; border-radius: 3px; }
        .example figcaption { font-size: 12.5px; line-height: 1.35; }
        .example .true { display: block; font-weight: 600; color: #166534; }
        .example .predicted { display: block; color: #b91c1c; }
        .example .confidence { color: var(--muted); font-variant-numeric: tabular-nums; }
        pre { background: #f9fafb; border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow-x: auto; font-size: 12.5px; }
        footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 8px; }
        """;
}

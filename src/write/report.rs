//! `report.html`: one self-contained page (inline CSS and SVG, no network) for the people who
//! want the picture rather than the tables: what came in and what came out, figures per zone,
//! the most reported measures, key figures per zone with links back to the article and the
//! sentence, and the rejected files with their reasons. Deterministic: no timestamps.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::csv_out::format_float;

/// What the report shows besides the tables.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    /// Headline counts, in display order (`files`, `processed`, `new`, …).
    pub counts: Vec<(String, usize)>,
    /// Rejected files: (source_file, reason).
    pub rejected: Vec<(String, String)>,
    /// measure_key → English name, from the taxonomy.
    pub measure_names: BTreeMap<String, String>,
}

/// Zones shown in the charts and the per-zone table.
const TOP_ZONES: usize = 20;
/// Measures shown in the measures chart.
const TOP_MEASURES: usize = 15;
/// Key figures listed per zone.
const FIGURES_PER_ZONE: usize = 6;

/// One figure kept for the per-zone table.
#[derive(Debug, Clone, PartialEq)]
struct KeyFigure {
    article_id: String,
    measure_key: String,
    label: String,
    value: Option<f64>,
    value_max: Option<f64>,
    unit: String,
    raw_text: String,
    sentence: String,
}

/// An article cited by a kept figure.
#[derive(Debug, Clone, PartialEq)]
struct CitedArticle {
    title: Option<String>,
    source_file: String,
    zone: Option<String>,
}

/// A figure as the sink sees it, borrowed from its page.
#[derive(Debug, Clone, Copy)]
pub struct FigureRow<'a> {
    /// `measures.article_id`.
    pub article_id: &'a str,
    /// `measures.zone`.
    pub zone: Option<&'a str>,
    /// `measures.measure_key`.
    pub measure_key: Option<&'a str>,
    /// `measures.label`.
    pub label: &'a str,
    /// `measures.value`.
    pub value: Option<f64>,
    /// `measures.value_max`.
    pub value_max: Option<f64>,
    /// `measures.unit`.
    pub unit: &'a str,
    /// `measures.raw_text`.
    pub raw_text: &'a str,
    /// `measures.sentence`.
    pub sentence: &'a str,
}

/// The article a [`FigureRow`] belongs to.
#[derive(Debug, Clone, Copy)]
pub struct ArticleRow<'a> {
    /// `articles.title`.
    pub title: Option<&'a str>,
    /// `articles.source_file`.
    pub source_file: &'a str,
    /// `articles.zone`.
    pub zone: Option<&'a str>,
}

/// What the report needs of the tables, gathered row by row as the sink streams them: counts
/// per zone and per measure, and the first few keyed figures of every zone with their
/// articles. Its size grows with the number of zones and measures, not with the corpus.
#[derive(Debug, Clone, Default)]
pub struct ReportData {
    per_zone: BTreeMap<String, usize>,
    per_key: BTreeMap<String, usize>,
    key_figures: BTreeMap<String, Vec<KeyFigure>>,
    cited: BTreeMap<String, CitedArticle>,
}

/// Adds one to `key`'s count (allocating the key only the first time it is seen).
fn count(counts: &mut BTreeMap<String, usize>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}

impl ReportData {
    /// Takes in one `measures` row (in table order) and the article it belongs to.
    pub fn add_figure(&mut self, f: &FigureRow<'_>, article: &ArticleRow<'_>) {
        if let Some(z) = f.zone {
            count(&mut self.per_zone, z);
        }
        let Some(key) = f.measure_key else {
            return;
        };
        count(&mut self.per_key, key);
        let Some(zone) = f.zone else {
            return;
        };
        let kept = self.key_figures.entry(zone.to_string()).or_default();
        if kept.len() >= FIGURES_PER_ZONE {
            return;
        }
        kept.push(KeyFigure {
            article_id: f.article_id.to_string(),
            measure_key: key.to_string(),
            label: f.label.to_string(),
            value: f.value,
            value_max: f.value_max,
            unit: f.unit.to_string(),
            raw_text: f.raw_text.to_string(),
            sentence: f.sentence.to_string(),
        });
        self.cited
            .entry(f.article_id.to_string())
            .or_insert_with(|| CitedArticle {
                title: article.title.map(str::to_string),
                source_file: article.source_file.to_string(),
                zone: article.zone.map(str::to_string),
            });
    }
}

/// A number for people: 1700000000 → 17亿, 40000000 → 4000万, 139.26 → 139.26.
fn readable(v: f64) -> String {
    let (scaled, suffix) = if v.abs() >= 1e8 {
        (v / 1e8, "亿")
    } else if v.abs() >= 1e5 {
        (v / 1e4, "万")
    } else {
        (v, "")
    };
    let rounded = (scaled * 100.0).round() / 100.0;
    format!("{}{suffix}", format_float(rounded))
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const CSS: &str = r#"
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--accent:#2f6fb0;--accent2:#e07b39;--bg:#f7f9fb}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:var(--ink);background:var(--bg);line-height:1.5}
header{background:#1f3b57;color:#fff;padding:28px 40px}
header h1{margin:0 0 4px;font-size:26px;font-weight:600}
header p{margin:0;color:#c9d6e3}
main{max-width:1180px;margin:0 auto;padding:24px 40px 60px}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:20px 0}
h2{font-size:18px;margin:0 0 14px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .n{font-size:26px;font-weight:700;color:var(--accent)}
.card .k{font-size:13px;color:var(--muted)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:20px}
@media(max-width:900px){.grid2{grid-template-columns:1fr}}
svg text{font-size:12px;fill:var(--ink)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}
#zones td:nth-child(1){width:120px;font-weight:600}
#zones td:nth-child(2){width:150px}
#zones td:nth-child(4){width:170px}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
.muted{color:var(--muted)}
mark{background:#fde6cf;padding:0 2px;border-radius:3px}
.article{border-top:1px solid var(--line);padding:10px 0}
.article h3{font-size:15px;margin:0 0 4px}
.empty{color:var(--muted);font-style:italic}
"#;

/// A horizontal bar chart as inline SVG.
fn bar_chart(id: &str, bars: &[(String, usize)], color: &str) -> String {
    if bars.is_empty() {
        return "<p class=\"empty\">Nothing to chart.</p>".into();
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f64;
    let (label_w, bar_w, row_h) = (230.0, 290.0, 24.0);
    let h = row_h * bars.len() as f64 + 10.0;
    let mut s = format!(
        "<svg id=\"{id}\" class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">",
        w = label_w + bar_w + 60.0
    );
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let w = (*n as f64 / max * bar_w).max(1.0);
        let _ = write!(
            s,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bh}\" rx=\"3\" fill=\"{color}\"><title>{label}: {n}</title></rect><text x=\"{nx:.1}\" y=\"{ty}\">{n}</text>",
            lx = label_w - 8.0,
            ty = y + 15.0,
            label = esc(label),
            bh = row_h - 6.0,
            nx = label_w + w + 6.0,
        );
    }
    s.push_str("</svg>");
    s
}

/// Renders the report page.
pub fn render(data: &ReportData, input: &ReportInput) -> String {
    let per_zone = &data.per_zone;
    let mut zone_bars: Vec<(String, usize)> =
        per_zone.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    zone_bars.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    zone_bars.truncate(TOP_ZONES);

    // most reported measures
    let mut key_bars: Vec<(String, usize)> = data
        .per_key
        .iter()
        .map(|(k, v)| {
            let name = input
                .measure_names
                .get(k)
                .cloned()
                .unwrap_or_else(|| k.to_string());
            (name, *v)
        })
        .collect();
    key_bars.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    key_bars.truncate(TOP_MEASURES);

    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>zonefacts run report</title><style>{CSS}</style></head><body>"
    );
    let _ = write!(
        s,
        "<header><h1>zonefacts run report</h1><p>Zones, figures and entities extracted from news pages about China's development zones · zonefacts {}</p></header><main>",
        env!("CARGO_PKG_VERSION")
    );

    s.push_str("<section id=\"summary\"><h2>What came in, what came out</h2><div class=\"cards\">");
    for (k, n) in &input.counts {
        let _ = write!(
            s,
            "<div class=\"card\"><div class=\"n\">{n}</div><div class=\"k\">{}</div></div>",
            esc(k)
        );
    }
    s.push_str("</div></section>");

    s.push_str("<div class=\"grid2\">");
    let _ = write!(
        s,
        "<section><h2>Figures per zone (top {TOP_ZONES}; each story counted once, however often reprinted)</h2>{}</section>",
        bar_chart("chart-zones", &zone_bars, "#2f6fb0")
    );
    let _ = write!(
        s,
        "<section><h2>Most reported measures</h2>{}</section>",
        bar_chart("chart-measures", &key_bars, "#e07b39")
    );
    s.push_str("</div>");

    // key figures per zone, with links to the article and the sentence
    let mut linked_articles: Vec<&str> = Vec::new();
    s.push_str("<section id=\"zones\"><h2>Key figures per zone</h2><table><thead><tr><th>zone</th><th>measure</th><th>value</th><th>label</th><th>sentence</th></tr></thead><tbody>");
    if zone_bars.is_empty() {
        s.push_str(
            "<tr><td colspan=\"5\" class=\"empty\">No figure is attributed to a zone.</td></tr>",
        );
    }
    for (zone, _) in &zone_bars {
        let rows = data.key_figures.get(zone).map_or(&[][..], Vec::as_slice);
        for (n, f) in rows.iter().enumerate() {
            if !linked_articles.contains(&f.article_id.as_str()) {
                linked_articles.push(&f.article_id);
            }
            let name = input
                .measure_names
                .get(&f.measure_key)
                .map(String::as_str)
                .unwrap_or(&f.measure_key);
            let value = match (f.value, f.value_max) {
                (Some(v), Some(mx)) => format!("{}–{}", readable(v), readable(mx)),
                (Some(v), None) => readable(v),
                _ => String::new(),
            };
            let (raw, sentence) = (f.raw_text.as_str(), f.sentence.as_str());
            let highlighted = match sentence.find(raw) {
                Some(p) if !raw.is_empty() => format!(
                    "{}<mark>{}</mark>{}",
                    esc(&sentence[..p]),
                    esc(raw),
                    esc(&sentence[p + raw.len()..])
                ),
                _ => esc(sentence),
            };
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{} {}</td><td>{}</td><td><a href=\"#a-{}\">{}</a></td></tr>",
                if n == 0 { esc(zone) } else { String::new() },
                esc(name),
                esc(&value),
                esc(&f.unit),
                esc(&f.label),
                esc(&f.article_id),
                highlighted
            );
        }
    }
    s.push_str("</tbody></table></section>");

    // the articles linked from the table, in the order they are first linked
    s.push_str("<section id=\"articles\"><h2>Articles cited above</h2>");
    if linked_articles.is_empty() {
        s.push_str("<p class=\"empty\">None.</p>");
    }
    for aid in linked_articles {
        let Some(a) = data.cited.get(aid) else {
            continue;
        };
        let _ = write!(
            s,
            "<div class=\"article\" id=\"a-{}\"><h3>{}</h3><div class=\"muted\">{} · {} · article {}</div></div>",
            esc(aid),
            esc(a.title.as_deref().unwrap_or("(untitled)")),
            esc(&a.source_file),
            esc(a.zone.as_deref().unwrap_or("no zone")),
            esc(aid)
        );
    }
    s.push_str("</section>");

    s.push_str("<section id=\"rejected\"><h2>Rejected files</h2>");
    if input.rejected.is_empty() {
        s.push_str("<p class=\"empty\">No file was rejected.</p>");
    } else {
        s.push_str("<table><thead><tr><th>file</th><th>reason</th></tr></thead><tbody>");
        for (f, r) in &input.rejected {
            let _ = write!(s, "<tr><td>{}</td><td>{}</td></tr>", esc(f), esc(r));
        }
        s.push_str("</tbody></table>");
    }
    s.push_str("</section></main></body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::lexicon::Lexicon;
    use crate::pipeline::process_bytes;
    use crate::pipeline::{Change, FileOutcome, Rejection};
    use crate::write::sink::{Part, Sink};

    /// The seed pages through the real pipeline and the streaming sink, rendered.
    fn seed_report() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let cfg = Config::load(&root.join("pipeline.toml")).unwrap();
        let lex = Lexicon::for_tests();
        let dir = root.join("input");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.push("bad.txt".into());
        names.sort();
        let out = tempfile::tempdir().unwrap();
        let mut sink = Sink::create(&cfg, out.path(), Part::All, false).unwrap();
        for n in &names {
            let outcome = match std::fs::read(dir.join(n)) {
                Ok(bytes) => {
                    FileOutcome::Processed(Box::new(process_bytes(n, &bytes, &lex).unwrap()))
                }
                Err(_) => FileOutcome::Rejected {
                    rel_path: n.clone(),
                    size: 0,
                    content_hash: None,
                    rejection: Rejection {
                        kind: "binary",
                        reason: "binary data, not a text page".into(),
                    },
                },
            };
            sink.push(&outcome, Change::New, &[]).unwrap();
        }
        sink.finish(names.len()).unwrap();
        std::fs::read_to_string(out.path().join(crate::write::REPORT)).unwrap()
    }

    #[test]
    fn seed_report_links_resolve_and_charts_are_drawn() {
        let html = seed_report();
        assert!(html.contains("<svg id=\"chart-zones\""));
        assert!(html.contains("<svg id=\"chart-measures\""));
        assert!(html.contains("广州高新区") && html.contains("Approval time"));
        assert!(
            !html.contains("http://")
                || html.matches("http://").count()
                    == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
            "no network references"
        );
        let mut links = 0;
        for part in html.split("href=\"#a-").skip(1) {
            let id = &part[..part.find('"').unwrap()];
            assert!(
                html.contains(&format!("id=\"a-{id}\"")),
                "link to {id} resolves"
            );
            links += 1;
        }
        assert!(links >= 10);
        assert!(html.contains("bad.txt"));
        assert_eq!(html, seed_report(), "deterministic");
        // for looking at it: ZONEFACTS_REPORT_OUT=/tmp/report.html cargo test --lib report
        if let Ok(out) = std::env::var("ZONEFACTS_REPORT_OUT") {
            std::fs::write(out, &html).unwrap();
        }
    }

    #[test]
    fn readable_numbers() {
        assert_eq!(readable(1.7e9), "17亿");
        assert_eq!(readable(4.0e7), "4000万");
        assert_eq!(readable(139.26), "139.26");
        assert_eq!(readable(66.67), "66.67");
    }

    #[test]
    fn escapes_and_charts() {
        assert_eq!(esc("<a&\"b\">"), "&lt;a&amp;&quot;b&quot;&gt;");
        let svg = bar_chart(
            "c",
            &[("广州高新区".into(), 10), ("济南高新区".into(), 5)],
            "#000",
        );
        assert!(svg.starts_with("<svg id=\"c\""));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(bar_chart("c", &[], "#000").contains("Nothing"));
    }
}

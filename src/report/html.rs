//! `report.html`: one self-contained page per result (inline SVG charts, inline CSS, a
//! few lines of inline JavaScript for a copy button, nothing loaded from the network)
//! that reads on a desktop and at phone width.
//!
//! A [`Page`] is a title, a lede and a list of [`Section`]s; each kind of result builds
//! its sections (`run.rs`, `sweep.rs`, `compare.rs`, `explain.rs` beside this file), and
//! a command can add its own before [`Page::render`] ([`Page::insert_after`], then
//! [`save`]). [`write`] builds the page of whatever result a directory holds and writes
//! `report.html` into it atomically; `racerun report DIR` calls it to rebuild one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::plot::{Figure, Figures};

/// A section of the page: an anchor, a heading and its HTML.
#[derive(Debug, Clone)]
pub struct Section {
    /// The anchor (`verdict`), unique on the page.
    pub id: String,
    /// The heading.
    pub heading: String,
    /// The body, HTML (escape text with [`esc`]).
    pub body: String,
}

impl Section {
    /// A section.
    pub fn new(id: &str, heading: &str, body: String) -> Section {
        Section {
            id: id.to_string(),
            heading: heading.to_string(),
            body,
        }
    }
}

/// A whole page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The `<title>` and the top heading.
    pub title: String,
    /// The paragraph under the heading (the question), HTML.
    pub lede: String,
    /// One line on where the results come from, HTML.
    pub provenance: String,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

impl Page {
    /// Inserts `section` after the section with id `after` (at the end when there is
    /// none): how a command adds its own part to a page built for another.
    pub fn insert_after(&mut self, after: &str, section: Section) {
        let at = self
            .sections
            .iter()
            .position(|s| s.id == after)
            .map_or(self.sections.len(), |i| i + 1);
        self.sections.insert(at, section);
    }

    /// The complete HTML document.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(1 << 20);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"racerun {}\">\n<title>{}</title>\n\
             <style>{CSS}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n\
             <p class=\"lede\">{}</p>\n<p class=\"provenance\">{}</p>\n<nav><ul>",
            env!("CARGO_PKG_VERSION"),
            esc(&self.title),
            esc(&self.title),
            self.lede,
            self.provenance
        );
        for s in &self.sections {
            let _ = write!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                esc(&s.id),
                esc(&s.heading)
            );
        }
        out.push_str("</ul></nav>\n</header>\n<main>\n");
        for s in &self.sections {
            let _ = write!(
                out,
                "<section id=\"{}\">\n<h2>{}</h2>\n{}\n</section>\n",
                esc(&s.id),
                esc(&s.heading),
                s.body
            );
        }
        let _ = write!(
            out,
            "</main>\n<footer><p>Written by racerun {}. Every chart is drawn from the files \
             in this directory; <code>racerun report DIR</code> rebuilds this page from them.\
             </p></footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        out
    }
}

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A chart as a figure: its title and subtitle as text (they reflow on a phone), the
/// plot as inline SVG scaled to the page's width (on a phone at least 540 px wide and
/// scrolled sideways, so its 14 px text stays above 11 px), how to read it, and its source.
pub fn figure(f: &Figure) -> String {
    // Inline SVG in HTML needs no namespace: the page names no outside address at all.
    let svg = f
        .svg
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    let svg = svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\" ",
            esc(&f.title)
        ),
        1,
    );
    format!(
        "<figure class=\"chart\" id=\"chart-{name}\" data-chart=\"{name}\">\n\
         <h3>{title}</h3>\n<p class=\"subtitle\">{subtitle}</p>\n<div class=\"plot\">{svg}</div>\n\
         <figcaption><strong>How to read it.</strong> {read} <span class=\"source\">{source}\
         </span></figcaption>\n</figure>",
        name = esc(f.name),
        title = esc(&f.title),
        subtitle = esc(&f.subtitle),
        read = esc(f.read),
        source = esc(&f.source),
    )
}

/// Every figure, then a note for each chart whose data the result lacks.
pub fn figures(figures: &Figures) -> String {
    let mut out = String::new();
    for f in &figures.drawn {
        out.push_str(&figure(f));
        out.push('\n');
    }
    for (name, why) in &figures.missing {
        let _ = writeln!(
            out,
            "<p class=\"note\" data-missing=\"{}\">Chart <code>{}</code> is not drawn: {}.</p>",
            esc(name),
            esc(name),
            esc(why)
        );
    }
    out
}

/// A command in a box with a copy button (the button needs JavaScript; the text is
/// there without).
pub fn command(text: &str) -> String {
    format!(
        "<div class=\"command\"><pre><code>{}</code></pre>\
         <button type=\"button\" class=\"copy\" hidden>Copy</button></div>",
        esc(text)
    )
}

/// A table: a header row and rows of cells that are already HTML.
pub fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<div class=\"scroll\"><table>\n<thead><tr>");
    for h in head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "<th scope=\"row\">{cell}</th>");
            } else {
                let _ = write!(out, "<td>{cell}</td>");
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The result's files could not be read or its charts drawn.
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
    /// A result file is missing or malformed.
    #[error(transparent)]
    Read(#[from] crate::schema::ReadError),
    /// The page could not be written.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// The directory holds nothing a report is made of.
    #[error("{}: {message}", path.display())]
    Unsupported {
        /// The directory.
        path: PathBuf,
        /// What it holds instead.
        message: String,
    },
}

/// File name of the report in a result directory.
pub const REPORT: &str = "report.html";

/// Builds the page of the result in `dir` (a run, sweep, sensitivity study, comparison or
/// explanation), which commands name `shown_as`; a sweep's chart shows `measure`.
pub fn page(dir: &Path, shown_as: &Path, measure: &str) -> Result<Page, ReportError> {
    use crate::output::place::{Detected, OutputKind, detect};
    match detect(dir) {
        Some(Detected::Kind(OutputKind::Run)) => super::run::page(dir, shown_as),
        Some(Detected::Kind(OutputKind::Sweep | OutputKind::Sensitivity)) => {
            super::sweep::page(dir, measure)
        }
        Some(Detected::Kind(OutputKind::Compare)) => super::compare::page(dir),
        Some(Detected::Kind(OutputKind::Explain)) => super::explain::page(dir, shown_as),
        Some(other) => Err(ReportError::Unsupported {
            path: dir.to_path_buf(),
            message: format!(
                "holds {}, which has no report; merge the shards first with `racerun merge`",
                other.describe()
            ),
        }),
        None => Err(ReportError::Unsupported {
            path: dir.to_path_buf(),
            message: "not a racerun result (it has no racerun manifest.json); give a directory \
                      written by `racerun run`, `sweep`, `sensitivity`, `compare` or `explain`"
                .into(),
        }),
    }
}

/// Writes `page` to `dir/report.html` through a temporary file and a rename: for a
/// command that builds its page from [`page`] and adds its own sections.
pub fn save(dir: &Path, page: &Page) -> Result<PathBuf, ReportError> {
    let path = dir.join(REPORT);
    crate::output::write_atomic(&path, page.render().as_bytes())?;
    Ok(path)
}

/// Builds the page of the result in `dir` and writes it to `dir/report.html` through a
/// temporary file and a rename, so a reader never sees half a page. Returns its path.
pub fn write(dir: &Path) -> Result<PathBuf, ReportError> {
    write_showing(dir, dir, crate::plot::SWEEP_MEASURE)
}

/// [`write`], the page calling the directory `shown_as` (where the result will be once
/// it is put in place, when it is written in a staging directory) and a sweep's chart
/// showing `measure`.
pub fn write_showing(dir: &Path, shown_as: &Path, measure: &str) -> Result<PathBuf, ReportError> {
    if std::fs::symlink_metadata(dir.join(REPORT)).is_ok_and(|m| !m.is_file()) {
        return Err(ReportError::Unsupported {
            path: dir.join(REPORT),
            message: "exists and is not a file; racerun writes its report there, so move it \
                      away first"
                .into(),
        });
    }
    save(dir, &page(dir, shown_as, measure)?)
}

/// Reads like a document on a desktop, one column at phone width; charts scale to the
/// column; wide tables scroll inside their box rather than widening the page.
const CSS: &str = "
:root{--ink:#222;--soft:#555;--faint:#808080;--rule:#e3e3e3;--accent:#004488;--bg:#fff}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}
header,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.5rem;border-bottom:1px solid var(--rule)}
h1{font-size:1.9rem;line-height:1.2;margin:.2rem 0 .6rem}
h2{font-size:1.45rem;margin:2.2rem 0 .6rem;padding-top:.4rem;border-top:1px solid var(--rule)}
h3{font-size:1.1rem;line-height:1.3;margin:1.6rem 0 .3rem}
p{margin:.5rem 0}
.lede{font-size:1.15rem;color:var(--ink)}
.answer{font-size:1.08rem}
.provenance,.source,.note,.subtitle{color:var(--soft)}
.provenance{font-size:.9rem}
nav ul{list-style:none;padding:0;margin:.8rem 0 1rem;display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.95rem}
a{color:var(--accent)}
code,pre{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.88rem}
figure{margin:1rem 0 2rem}
.plot{border:1px solid var(--rule);border-radius:4px;overflow-x:auto;overflow-y:hidden;background:#fff}
.plot svg{display:block;width:100%;height:auto}
figcaption{font-size:.92rem;margin-top:.4rem}
.source{display:block;font-size:.85rem;margin-top:.2rem}
.regime{display:inline-block;font-weight:700;font-size:1.6rem;letter-spacing:.04em;padding:.1rem .7rem;border-radius:4px;color:#fff;background:#555}
.regime.race{background:#D55E00}.regime.run{background:#0072B2}.regime.mixed,.regime.too_short,.regime.one_lab{background:#6b6b6b}
.scroll{overflow-x:auto;margin:.6rem 0}
table{border-collapse:collapse;font-size:.92rem;min-width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--rule);vertical-align:top}
thead th{border-bottom:2px solid #bbb;vertical-align:bottom}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:-.05em}
.tag{font-size:.78rem;padding:0 .35rem;border-radius:3px;background:#eee;color:var(--soft);white-space:nowrap}
.tag.set{background:#fde7c8;color:#7a4a00}
th .tag{font-weight:400}
.ok{color:#0b6e3a}.bad{color:#a3232f;font-weight:600}
.command{position:relative;margin:.6rem 0}
.command pre{background:#f6f6f6;border:1px solid var(--rule);border-radius:4px;padding:.7rem 4.5rem .7rem .8rem;white-space:pre-wrap;word-break:break-all;margin:0}
.copy{position:absolute;top:.45rem;right:.45rem;font:inherit;font-size:.8rem;padding:.15rem .5rem;border:1px solid #bbb;border-radius:3px;background:#fff;cursor:pointer}
details{margin:.6rem 0}
dt{font-weight:600;margin-top:.6rem}
dd{margin:.1rem 0 0 1.2rem}
details pre{overflow-x:auto;background:#f6f6f6;padding:.7rem;border-radius:4px}
footer{color:var(--faint);font-size:.85rem;border-top:1px solid var(--rule);margin-top:2rem;padding-bottom:2rem}
@media (max-width:600px){body{font-size:15px}h1{font-size:1.5rem}h2{font-size:1.25rem}th,td{padding:.3rem .4rem}.params tr>:nth-child(4){display:none}.plot svg{min-width:540px}}
";

/// Shows the copy buttons and copies a command when one is pressed; once the page has
/// loaded, records its size and that the script ran (`data-height`, `data-width`,
/// `data-ready` on `<html>`), which the browser test reads.
const SCRIPT: &str = "
document.querySelectorAll('.command').forEach(function (box) {
  var button = box.querySelector('.copy');
  var text = box.querySelector('code').textContent;
  if (!navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = 'Copied';
    }, function () {
      button.textContent = 'Select and copy';
    });
  });
});
window.addEventListener('load', function () {
  var root = document.documentElement;
  root.setAttribute('data-height', String(root.scrollHeight));
  root.setAttribute('data-width', String(root.scrollWidth));
  root.setAttribute('data-ready', 'yes');
});
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_orders_sections() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let mut page = Page {
            title: "T <1>".into(),
            lede: "q".into(),
            provenance: String::new(),
            sections: vec![
                Section::new("a", "A", "x".into()),
                Section::new("c", "C", "z".into()),
            ],
        };
        page.insert_after("a", Section::new("b", "B", "y".into()));
        page.insert_after("nope", Section::new("d", "D", "w".into()));
        let ids: Vec<&str> = page.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"]);
        let html = page.render();
        assert!(html.contains("<title>T &lt;1&gt;</title>"));
        assert!(html.find("id=\"b\"").unwrap() < html.find("id=\"c\"").unwrap());
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "nothing remote"
        );
    }
}

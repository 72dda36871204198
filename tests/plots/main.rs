//! The chart set, drawn from a synthetic output directory written through the schema's
//! writers (see `fixture.rs`): files decode at the asked size, are not blank, carry their
//! words, and bad inputs are refused naming the file without leaving partial charts
//! (`refusals.rs`); sweeps and sensitivity runs get their own charts (`kinds.rs`).

mod fixture;
mod kinds;
mod refusals;
mod titles;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use fixture::{LABS, MONTHS, RUNS, fixture, leftovers};
use racerun::plot::{CHART_NAMES, Format, PlotError, PlotOptions, draw_all};

/// Words and axis titles each chart must carry in its SVG (titles are computed from the
/// data, so only their stable parts are checked here).
fn expected_text(chart: &str) -> &'static [&'static str] {
    match chart {
        "lead_survival" => &[
            "The lead does not last",
            "Months later (h)",
            "Still leads h months later (%)",
            "chance, 33%",
        ],
        "leapfrog" => &[
            "one simulated future",
            "Deployed quality (Elo)",
            "Year",
            "Leader",
        ],
        "quality_bands" => &[
            "Best model",
            "Quality (Elo)",
            "Margin (Elo)",
            "Year",
            // The margin is the leading lab's, so it dips below zero (not a rank gap).
            "below zero while a rival is ahead by less than the lead margin",
        ],
        "who_leads" => &[
            "likeliest to have the best model",
            "Probability of leading (%)",
            "Year",
        ],
        "allocation" => &["Training (dark shade", "GPUs (H100e)", "Year"],
        "customers" => &["ends with the most customers", "Customer share (%)", "Year"],
        "lead_changes" => &[
            "changes hands",
            "Lead changes over the horizon (count)",
            "Share of simulations (%)",
            "The verdict weighs how long leads last",
        ],
        "spells" => &[
            "Half the time in the lead",
            "Length of the spell in the lead (months)",
            "Share of months in the lead (%)",
            "half of all quality leads end within 12 months",
        ],
        "headwind" => &[
            "the leader trains",
            "Training share (%)",
            "Difference (points)",
            "Year",
        ],
        _ => &[],
    }
}

fn distinct_colors(path: &Path) -> usize {
    let img = image::open(path).unwrap().to_rgb8();
    img.pixels().map(|p| p.0).collect::<HashSet<_>>().len()
}

fn contains_color(path: &Path, rgb: [u8; 3]) -> bool {
    image::open(path)
        .unwrap()
        .to_rgb8()
        .pixels()
        .any(|p| p.0 == rgb)
}

fn svg_text(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The SVG's text with line breaks of wrapped paragraphs turned into spaces.
pub(crate) fn svg_words(path: &Path) -> String {
    svg_text(path).replace('\n', " ")
}

fn hex(color: &str) -> [u8; 3] {
    let v = u32::from_str_radix(&color[1..], 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

#[test]
fn draws_every_chart_as_png_and_svg() {
    let (_tmp, dir) = fixture();
    let written = draw_all(&dir, &PlotOptions::default()).unwrap();
    assert_eq!(written.len(), CHART_NAMES.len() * 2);
    for name in CHART_NAMES {
        let png = dir.join("charts").join(format!("{name}.png"));
        let svg = dir.join("charts").join(format!("{name}.svg"));
        assert!(
            written.contains(&png) && written.contains(&svg),
            "{name} not reported"
        );

        let img = image::open(&png).unwrap();
        assert_eq!((img.width(), img.height()), (1600, 1000), "{name}.png size");
        let colors = distinct_colors(&png);
        assert!(
            colors >= 30,
            "{name}.png looks blank: {colors} distinct colours"
        );

        let text = svg_words(&svg);
        for want in expected_text(name) {
            assert!(text.contains(want), "{name}.svg lacks `{want}`:\n{text}");
        }
        // The source line, once: a chart of one simulation says which.
        let source = if ["leapfrog", "allocation"].contains(name) {
            "Source: racerun 0.1.0, scenario baseline, simulation 0 of 200, seed 42"
        } else {
            "Source: racerun 0.1.0, scenario baseline, 200 simulations, seed 42"
        };
        assert_eq!(
            text.matches(source).count(),
            1,
            "{name}.svg source line:\n{text}"
        );
        assert!(!text.contains("200 runs"), "{name}.svg says runs: {text}");
        assert!(!text.contains("Month "), "{name}.svg titles years `Month`");
    }
    assert!(
        leftovers(&dir).is_empty(),
        "temporary directories left: {:?}",
        leftovers(&dir)
    );
    // For looking at the charts: RACERUN_KEEP_CHARTS=/some/dir cargo test --test plots
    if let Some(keep) = std::env::var_os("RACERUN_KEEP_CHARTS") {
        let keep = PathBuf::from(keep);
        fs::create_dir_all(&keep).unwrap();
        for path in &written {
            fs::copy(path, keep.join(path.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn labs_keep_their_colour_in_every_lab_chart() {
    let (_tmp, dir) = fixture();
    let opts = PlotOptions {
        formats: vec![Format::Png],
        only: Some(vec![
            "leapfrog".into(),
            "allocation".into(),
            "who_leads".into(),
            "customers".into(),
        ]),
        ..PlotOptions::default()
    };
    for path in draw_all(&dir, &opts).unwrap() {
        for (_, name, color) in LABS {
            assert!(
                contains_color(&path, hex(color)),
                "{} lacks {name}'s {color}",
                path.display()
            );
        }
    }
}

#[test]
fn svg_legends_name_the_labs_and_time_axes_show_years() {
    let (_tmp, dir) = fixture();
    let opts = PlotOptions {
        formats: vec![Format::Svg],
        ..PlotOptions::default()
    };
    draw_all(&dir, &opts).unwrap();
    for name in ["leapfrog", "who_leads", "customers"] {
        let text = svg_text(&dir.join("charts").join(format!("{name}.svg")));
        for (_, lab, _) in LABS {
            assert!(text.contains(lab), "{name}.svg legend lacks {lab}");
        }
        for year in ["2024", "2025", "2028"] {
            assert!(
                text.lines().any(|l| l == year),
                "{name}.svg lacks the tick {year}"
            );
        }
    }
    let verdict = svg_words(&dir.join("charts/lead_changes.svg"));
    assert!(verdict.contains("Verdict: RUN."), "{verdict}");
    assert!(
        verdict.contains("not how often they change"),
        "the count is not read as the verdict's test: {verdict}"
    );
}

#[test]
fn png_has_the_asked_size_and_only_the_asked_charts() {
    let (_tmp, dir) = fixture();
    let opts = PlotOptions {
        formats: vec![Format::Png],
        width: 900,
        height: 560,
        only: Some(vec!["spells".into(), "leapfrog".into()]),
    };
    let written = draw_all(&dir, &opts).unwrap();
    let names: Vec<_> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["leapfrog.png", "spells.png"]);
    for path in &written {
        let img = image::open(path).unwrap();
        assert_eq!((img.width(), img.height()), (900, 560));
        assert!(distinct_colors(path) >= 20);
    }
}

#[test]
fn only_redraws_some_and_keeps_the_other_charts() {
    let (_tmp, dir) = fixture();
    draw_all(
        &dir,
        &PlotOptions {
            formats: vec![Format::Svg],
            ..PlotOptions::default()
        },
    )
    .unwrap();
    let opts = PlotOptions {
        formats: vec![Format::Png],
        only: Some(vec!["headwind".into()]),
        ..PlotOptions::default()
    };
    draw_all(&dir, &opts).unwrap();
    let charts = dir.join("charts");
    assert!(charts.join("headwind.png").is_file());
    for name in CHART_NAMES {
        assert!(
            charts.join(format!("{name}.svg")).is_file(),
            "{name}.svg was dropped"
        );
    }
}

#[test]
fn unknown_chart_name_lists_the_valid_ones() {
    let (_tmp, dir) = fixture();
    let opts = PlotOptions {
        only: Some(vec!["leapfrog".into(), "pie".into()]),
        ..PlotOptions::default()
    };
    let message = draw_all(&dir, &opts).unwrap_err().to_string();
    assert!(message.contains("unknown chart `pie`"), "{message}");
    assert!(
        message.contains("leapfrog, quality_bands, who_leads"),
        "{message}"
    );
    assert!(!dir.join("charts").exists());
}

#[test]
fn formats_parse_by_name() {
    assert_eq!("png".parse::<Format>().unwrap(), Format::Png);
    assert_eq!("SVG".parse::<Format>().unwrap(), Format::Svg);
    let message = "pdf".parse::<Format>().unwrap_err().to_string();
    assert!(message.contains("unknown chart format `pdf`"), "{message}");
}

#[test]
fn tiny_canvas_is_refused() {
    let (_tmp, dir) = fixture();
    let opts = PlotOptions {
        width: 100,
        height: 80,
        ..PlotOptions::default()
    };
    let message = draw_all(&dir, &opts).unwrap_err().to_string();
    assert!(message.contains("100x80"), "{message}");
}

#[test]
fn failure_keeps_the_previous_charts() {
    let (_tmp, dir) = fixture();
    draw_all(&dir, &PlotOptions::default()).unwrap();
    let before = fs::read(dir.join("charts/leapfrog.png")).unwrap();
    fs::remove_file(dir.join("runs.csv")).unwrap();
    let message = draw_all(&dir, &PlotOptions::default())
        .unwrap_err()
        .to_string();
    assert!(message.contains("runs.csv: not found"), "{message}");
    assert_eq!(fs::read(dir.join("charts/leapfrog.png")).unwrap(), before);
    assert_eq!(
        fs::read_dir(dir.join("charts")).unwrap().count(),
        CHART_NAMES.len() * 2
    );
    assert!(leftovers(&dir).is_empty());
}

#[test]
fn missing_output_dir_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nope");
    let message = draw_all(&dir, &PlotOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("nope: output directory not found"),
        "{message}"
    );
    assert!(matches!(
        draw_all(&dir, &PlotOptions::default()),
        Err(PlotError::DirNotFound { .. })
    ));
}

/// A directory from an older racerun: no version, verdict or lab colours in the
/// summary, empty and NaN cells, and columns this version does not know.
#[test]
fn plots_a_directory_from_an_older_run() {
    let (_tmp, dir) = fixture();
    let summary = format!(
        r#"{{"scenario": "baseline", "start": "2024-01", "months": {MONTHS}, "seed": 42, "runs": {RUNS},
            "labs": [{{"id": "alpha"}}, {{"id": "beta", "name": "Beta"}}, {{"id": "gamma", "color": ""}}]}}"#
    );
    fs::write(dir.join("summary.json"), summary).unwrap();
    let bands = fs::read_to_string(dir.join("bands.csv")).unwrap();
    let bands: String = bands
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line},p99\n"),
            // Punch holes: a month without p95 and one with NaN.
            5 => format!("{},,\n", line.rsplit_once(',').unwrap().0),
            9 => format!("{},NaN,1\n", line.rsplit_once(',').unwrap().0),
            _ => format!("{line},1\n"),
        })
        .collect();
    fs::write(dir.join("bands.csv"), bands).unwrap();
    let written = draw_all(
        &dir,
        &PlotOptions {
            formats: vec![Format::Png],
            ..PlotOptions::default()
        },
    )
    .unwrap();
    // Without lead survival in its summary, the headline chart is skipped, and refused
    // by name with the reason.
    assert_eq!(written.len(), CHART_NAMES.len() - 1);
    assert!(!dir.join("charts/lead_survival.png").exists());
    let only = PlotOptions {
        only: Some(vec!["lead_survival".into()]),
        ..PlotOptions::default()
    };
    let message = draw_all(&dir, &only).unwrap_err().to_string();
    assert!(
        message.contains("cannot draw `lead_survival`: summary.json has no `survival`"),
        "{message}"
    );
    // Without scenario colours the labs get Okabe-Ito orange, sky blue and green.
    let leapfrog = dir.join("charts/leapfrog.png");
    for rgb in [[0xE6, 0x9F, 0x00], [0x56, 0xB4, 0xE9], [0x00, 0x9E, 0x73]] {
        assert!(
            contains_color(&leapfrog, rgb),
            "default colour {rgb:?} missing"
        );
    }
}

#[test]
fn numbers_are_written_for_readers() {
    use racerun::numbers::{compact, thousands};
    assert_eq!(thousands(2000), "2,000");
    assert_eq!(compact(1_200_000.0), "1.2M");
    assert_eq!(compact(350_000.0), "350k");
}

/// Draws the charts of a real output directory, for looking at them:
/// `RACERUN_PLOT_DIR=output/baseline cargo test --test plots -- --ignored`.
#[test]
#[ignore = "needs a real output directory in RACERUN_PLOT_DIR"]
fn draws_a_real_output_directory() {
    let dir = PathBuf::from(std::env::var_os("RACERUN_PLOT_DIR").expect("RACERUN_PLOT_DIR"));
    let (width, height) = match std::env::var("RACERUN_PLOT_SIZE") {
        Ok(size) => {
            let (w, h) = size.split_once('x').expect("RACERUN_PLOT_SIZE as WxH");
            (w.parse().unwrap(), h.parse().unwrap())
        }
        Err(_) => (1600, 1000),
    };
    let opts = PlotOptions {
        width,
        height,
        ..PlotOptions::default()
    };
    let written = draw_all(&dir, &opts).unwrap_or_else(|e| panic!("{e}"));
    assert!(written.len() >= (CHART_NAMES.len() - 1) * 2);
}

/// A `runs.csv` without the final shares (written before they existed) still draws the
/// customers chart, titled from the labs' medians alone.
#[test]
fn customers_draws_without_final_shares_in_runs_csv() {
    let (_tmp, dir) = fixture();
    let path = dir.join("runs.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !header[i].starts_with("final_share."))
        .collect();
    assert!(keep.len() < header.len(), "the fixture has final shares");
    let pick = |line: &str| {
        let cells: Vec<&str> = line.split(',').collect();
        keep.iter().map(|&i| cells[i]).collect::<Vec<_>>().join(",")
    };
    let mut out = vec![pick(&header.join(","))];
    out.extend(lines.map(pick));
    fs::write(&path, out.join("\n") + "\n").unwrap();
    let opts = PlotOptions {
        formats: vec![Format::Svg],
        only: Some(vec!["customers".into()]),
        ..PlotOptions::default()
    };
    draw_all(&dir, &opts).unwrap();
    let text = svg_words(&dir.join("charts/customers.svg"));
    assert!(text.contains("ends with the most customers"), "{text}");
    assert!(!text.contains("largest lab"), "{text}");
}

//! The chart set, drawn from a synthetic output directory that follows
//! `docs/outputs.md`: files decode at the asked size, are not blank, carry their words,
//! and bad inputs fail naming the file without leaving partial charts.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use racerun::plot::{CHART_NAMES, Format, PlotError, PlotOptions, draw_all};

const LABS: [(&str, &str, &str); 3] = [
    ("alpha", "Alpha", "#E69F00"),
    ("beta", "Beta", "#56B4E9"),
    ("gamma", "Gamma", "#009E73"),
];
const MONTHS: u32 = 60;
const RUNS: u32 = 200;

/// Title words and axis titles each chart must carry in its SVG.
fn expected_text(chart: &str) -> &'static [&'static str] {
    match chart {
        "leapfrog" => &[
            "Round after round",
            "Deployed quality (Elo)",
            "Month",
            "Leader",
        ],
        "quality_bands" => &[
            "How good each lab",
            "Quality (Elo)",
            "Gap to best (Elo)",
            "Month",
        ],
        "who_leads" => &[
            "Who leads, month by month",
            "Probability of leading (%)",
            "Month",
        ],
        "allocation" => &["Training or serving", "GPUs (H100e)", "Month"],
        "customers" => &["Who the customers use", "Customer share (%)", "Month"],
        "lead_changes" => &[
            "How often the lead changes",
            "Lead changes over the run (count)",
            "Share of runs (%)",
        ],
        "spells" => &[
            "How long a lead lasts",
            "Spell length (months)",
            "Share of spells (%)",
        ],
        "headwind" => &["The headwind", "Training share of fleet (%)", "Month"],
        _ => &[],
    }
}

/// A small deterministic generator so the fixture is the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One simulated lab-month of the fake sample run.
#[derive(Clone, Copy, Default)]
struct LabMonth {
    quality: f64,
    released: bool,
    fleet: f64,
    train_fraction: f64,
    customers: f64,
}

/// Leapfrogging qualities: each lab releases on its own cadence with a jump that
/// overtakes the current frontier, and the leader trains less.
fn simulate(rng: &mut Lcg) -> Vec<Vec<LabMonth>> {
    let mut labs: Vec<Vec<LabMonth>> = vec![Vec::new(); LABS.len()];
    let mut quality = [1200.0, 1185.0, 1170.0];
    let mut fleet = [120_000.0, 90_000.0, 60_000.0];
    let mut next_release = [7u32, 3, 10];
    for m in 0..MONTHS {
        let frontier = quality.iter().cloned().fold(f64::MIN, f64::max);
        for i in 0..LABS.len() {
            let released = m == next_release[i];
            if released {
                quality[i] = quality[i].max(frontier) + 15.0 + 25.0 * rng.next();
                next_release[i] = m + 8 + (rng.next() * 6.0) as u32;
            }
            fleet[i] *= 1.015 + 0.01 * rng.next();
        }
        let frontier = quality.iter().cloned().fold(f64::MIN, f64::max);
        let weights: Vec<f64> = quality
            .iter()
            .map(|q| ((q - frontier) / 30.0).exp())
            .collect();
        let total: f64 = weights.iter().sum();
        for i in 0..LABS.len() {
            let leads = quality[i] == frontier;
            let released = labs[i].last().is_none_or(|p| p.quality != quality[i]);
            labs[i].push(LabMonth {
                quality: quality[i],
                released,
                fleet: fleet[i],
                train_fraction: if leads { 0.25 } else { 0.55 } + 0.1 * rng.next(),
                customers: weights[i] / total,
            });
        }
    }
    labs
}

fn fmt(v: f64) -> String {
    format!("{v}")
}

/// Writes a complete output directory as `racerun run` would.
fn write_output_dir(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    let mut rng = Lcg(42);
    let labs_json: Vec<String> = LABS
        .iter()
        .map(|(id, name, color)| {
            format!(r#"{{"id": "{id}", "name": "{name}", "color": "{color}"}}"#)
        })
        .collect();
    let summary = format!(
        r#"{{
  "racerun_version": "0.1.0",
  "scenario": "baseline",
  "start": "2024-01",
  "months": {MONTHS},
  "seed": 42,
  "runs": {RUNS},
  "labs": [{}],
  "verdict": {{"regime": "run", "rule": "run if the quality lead changes at least 1.5 times per year in the median run and the month-12 leader keeps the lead in under half the runs", "sentence": "The lead changes hands about every 9 months: the leader takes the headwind.", "evidence": {{"changes_per_year": 1.4}}}},
  "measures": {{"lead_changes_quality": {{"mean": 5.1, "p10": 3, "p50": 5, "p90": 7}}}},
  "labs_measures": {{}}
}}"#,
        labs_json.join(", ")
    );
    fs::write(dir.join("summary.json"), summary).unwrap();

    // sample_runs.csv: two sample runs.
    let mut sample = String::from(
        "run,month,date,lab,fleet,pipeline,train_fraction,training_gpus,inference_gpus,capacity,effective_compute,run_elapsed,released,candidate,quality,desired_share,customers,demand,served,overflow_in,unserved,revenue,opex,funding,capex,cash,ordered,received,price,quality_leader,market_leader,total_demand,shock,frontier,supply,gpu_price\n",
    );
    let mut runs_sim = Vec::new();
    for run in 0..2 {
        let sim = simulate(&mut rng);
        for m in 0..MONTHS as usize {
            let frontier = sim.iter().map(|l| l[m].quality).fold(f64::MIN, f64::max);
            let top_share = sim.iter().map(|l| l[m].customers).fold(f64::MIN, f64::max);
            for (i, (id, _, _)) in LABS.iter().enumerate() {
                let s = sim[i][m];
                let training = s.fleet * s.train_fraction;
                let candidate = if s.released {
                    fmt(s.quality)
                } else {
                    String::new()
                };
                writeln!(
                    sample,
                    "{run},{m},{}-{:02},{id},{},{},{},{},{},{},{},{},{},{candidate},{},{},{},{},{},0,0,{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                    2024 + m / 12,
                    m % 12 + 1,
                    fmt(s.fleet),
                    fmt(s.fleet * 0.1),
                    fmt(s.train_fraction),
                    fmt(training),
                    fmt(s.fleet - training),
                    fmt((s.fleet - training) * 1.1),
                    fmt(training * 1e20),
                    m % 9,
                    u8::from(s.released),
                    fmt(s.quality),
                    fmt(s.customers),
                    fmt(s.customers),
                    fmt(s.customers * 500_000.0),
                    fmt(s.customers * 480_000.0),
                    fmt(s.customers * 9e8),
                    fmt(4e8),
                    fmt(1e8),
                    fmt(2e8),
                    fmt(5e9),
                    fmt(3000.0),
                    fmt(2500.0),
                    fmt(20.0),
                    u8::from(s.quality == frontier),
                    u8::from(s.customers == top_share),
                    fmt(500_000.0),
                    fmt(1.0),
                    fmt(frontier),
                    fmt(80_000.0),
                    fmt(25_000.0),
                )
                .unwrap();
            }
        }
        runs_sim.push(sim);
    }
    fs::write(dir.join("sample_runs.csv"), sample).unwrap();

    // bands.csv from the fake sample plus a spread that widens with time.
    let sim = &runs_sim[0];
    let mut bands = String::from("month,date,lab,series,mean,p5,p25,p50,p75,p95\n");
    let row = |bands: &mut String,
               m: usize,
               lab: &str,
               series: &str,
               mid: f64,
               spread: f64,
               lo: f64,
               hi: f64| {
        let q = |k: f64| fmt((mid + k * spread).clamp(lo, hi));
        writeln!(
            bands,
            "{m},{}-{:02},{lab},{series},{},{},{},{},{},{}",
            2024 + m / 12,
            m % 12 + 1,
            q(0.0),
            q(-1.6),
            q(-0.7),
            q(0.0),
            q(0.7),
            q(1.6)
        )
        .unwrap();
    };
    for m in 0..MONTHS as usize {
        let t = m as f64 / MONTHS as f64;
        let frontier = sim.iter().map(|l| l[m].quality).fold(f64::MIN, f64::max);
        for (i, (id, _, _)) in LABS.iter().enumerate() {
            let s = sim[i][m];
            let base = 1190.0 - 10.0 * i as f64 + 4.0 * m as f64;
            row(
                &mut bands,
                m,
                id,
                "quality",
                base,
                5.0 + 40.0 * t,
                f64::MIN,
                f64::MAX,
            );
            row(
                &mut bands,
                m,
                id,
                "quality_gap",
                -8.0 - 6.0 * i as f64,
                4.0 + 10.0 * t,
                f64::MIN,
                0.0,
            );
            row(
                &mut bands,
                m,
                id,
                "customers",
                0.45 - 0.1 * i as f64,
                0.05 + 0.1 * t,
                0.0,
                1.0,
            );
            row(
                &mut bands,
                m,
                id,
                "fleet",
                s.fleet,
                s.fleet * 0.2,
                0.0,
                f64::MAX,
            );
            row(
                &mut bands,
                m,
                id,
                "train_fraction",
                s.train_fraction,
                0.1,
                0.0,
                1.0,
            );
            row(
                &mut bands,
                m,
                id,
                "revenue",
                s.customers * 9e8,
                1e8,
                0.0,
                f64::MAX,
            );
            row(&mut bands, m, id, "cash", 5e9, 1e9, f64::MIN, f64::MAX);
            let p_quality =
                [0.45, 0.33, 0.22][i] + 0.05 * ((m as f64 / 7.0 + i as f64 * 2.0).sin());
            let p_market = [0.5, 0.3, 0.2][i] + 0.03 * ((m as f64 / 9.0 + i as f64 * 2.0).cos());
            writeln!(
                bands,
                "{m},2024-01,{id},lead_prob_quality,{},0,0,0,1,1",
                fmt(p_quality)
            )
            .unwrap();
            writeln!(
                bands,
                "{m},2024-01,{id},lead_prob_market,{},0,0,0,1,1",
                fmt(p_market)
            )
            .unwrap();
            let _ = frontier;
        }
        row(
            &mut bands,
            m,
            "all",
            "frontier",
            frontier,
            10.0 + 30.0 * t,
            f64::MIN,
            f64::MAX,
        );
        row(&mut bands, m, "all", "leader_gap", 12.0, 6.0, 0.0, f64::MAX);
        row(
            &mut bands,
            m,
            "all",
            "leader_train",
            0.45 - 0.15 * t,
            0.07,
            0.0,
            1.0,
        );
        row(
            &mut bands,
            m,
            "all",
            "followers_train",
            0.5 + 0.1 * t,
            0.06,
            0.0,
            1.0,
        );
        row(
            &mut bands,
            m,
            "all",
            "demand",
            500_000.0 * (1.0 + t),
            50_000.0,
            0.0,
            f64::MAX,
        );
    }
    fs::write(dir.join("bands.csv"), bands).unwrap();

    // runs.csv with every documented column.
    let mut header = String::from(
        "run,lead_changes_quality,lead_changes_market,changes_per_year_quality,changes_per_year_market,spells_quality,spells_market,mean_spell_quality,mean_spell_market,persistence_quality,persistence_market,early_keeps_quality,early_keeps_market,gap_early,gap_late,gap_growth,leader_train,followers_train,headwind,hhi_final,hhi_mean,open_share_final,final_leader_quality,final_leader_market",
    );
    for prefix in [
        "months_led_quality",
        "months_led_market",
        "final_share",
        "final_fleet",
        "final_quality",
        "revenue_total",
        "releases",
    ] {
        for (id, _, _) in LABS {
            write!(header, ",{prefix}.{id}").unwrap();
        }
    }
    let mut runs = header + "\n";
    for run in 0..RUNS {
        let changes_q = (rng.next() * 5.0 + rng.next() * 5.0) as u32;
        let changes_m = (rng.next() * 3.0 + rng.next() * 2.0) as u32;
        write!(
            runs,
            "{run},{changes_q},{changes_m},{},{},{},{},{},{},0.4,0.6,0,1,12.5,10.1,-2.4,0.3,0.52,0.22,0.38,0.41,0.05,alpha,beta",
            fmt(changes_q as f64 / 5.0),
            fmt(changes_m as f64 / 5.0),
            changes_q + 1,
            changes_m + 1,
            fmt(60.0 / (changes_q + 1) as f64),
            fmt(60.0 / (changes_m + 1) as f64),
        )
        .unwrap();
        for _ in 0..7 * LABS.len() {
            write!(runs, ",{}", fmt((rng.next() * 100.0).round())).unwrap();
        }
        runs.push('\n');
    }
    fs::write(dir.join("runs.csv"), runs).unwrap();

    let mut spells = String::from("kind,length,count\n");
    for length in 1..=40u32 {
        let q = (900.0 * (-(length as f64) / 8.0).exp() * (0.8 + 0.4 * rng.next())).round();
        let mk = (500.0 * (-(length as f64) / 14.0).exp() * (0.8 + 0.4 * rng.next())).round();
        writeln!(spells, "quality,{length},{q}").unwrap();
        writeln!(spells, "market,{length},{mk}").unwrap();
    }
    writeln!(spells, "market,60,12").unwrap();
    fs::write(dir.join("spells.csv"), spells).unwrap();
    fs::write(dir.join("scenario.toml"), "name = \"baseline\"\n").unwrap();
    fs::write(dir.join("manifest.json"), "{}\n").unwrap();
}

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("baseline");
    write_output_dir(&dir);
    (tmp, dir)
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
fn svg_words(path: &Path) -> String {
    svg_text(path).replace('\n', " ")
}

fn hex(color: &str) -> [u8; 3] {
    let v = u32::from_str_radix(&color[1..], 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".charts"))
        .collect()
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
        assert!(
            text.contains("Scenario baseline, 200 runs, seed 42"),
            "{name}.svg subtitle"
        );
        assert!(text.contains("Source: racerun 0.1.0, scenario baseline, 200 runs, seed 42"));
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
            "quality_bands".into(),
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
    for name in ["leapfrog", "quality_bands", "who_leads", "customers"] {
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
        verdict.contains("run if the quality lead changes"),
        "the rule is shown"
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

/// Draws, breaks `file` with `damage`, and checks the error and that nothing changed.
fn fails_cleanly(file: &str, damage: impl FnOnce(&Path), expect: &[&str]) {
    let (_tmp, dir) = fixture();
    let path = dir.join(file);
    damage(&path);
    let err = draw_all(&dir, &PlotOptions::default()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&path.display().to_string()),
        "{message}"
    );
    for want in expect {
        assert!(message.contains(want), "`{message}` lacks `{want}`");
    }
    assert!(
        !dir.join("charts").exists(),
        "partial charts drawn for {file}"
    );
    assert!(leftovers(&dir).is_empty());
}

#[test]
fn missing_file_is_named() {
    for file in [
        "summary.json",
        "bands.csv",
        "runs.csv",
        "spells.csv",
        "sample_runs.csv",
    ] {
        fails_cleanly(
            file,
            |p| fs::remove_file(p).unwrap(),
            &["not found (run `racerun run` first)"],
        );
    }
}

#[test]
fn missing_column_is_named() {
    fails_cleanly(
        "bands.csv",
        |p| {
            let text = fs::read_to_string(p).unwrap();
            let cut: String = text
                .lines()
                .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
                .collect();
            fs::write(p, cut).unwrap();
        },
        &["bands.csv: missing column `p95`"],
    );
    fails_cleanly(
        "runs.csv",
        |p| {
            let text = fs::read_to_string(p).unwrap();
            fs::write(p, text.replacen("lead_changes_market", "changes_market", 1)).unwrap();
        },
        &["missing column `lead_changes_market`"],
    );
}

#[test]
fn corrupt_files_are_named() {
    fails_cleanly(
        "summary.json",
        |p| fs::write(p, "{\"scenario\": \"base").unwrap(),
        &["invalid JSON"],
    );
    fails_cleanly(
        "summary.json",
        |p| {
            let text = fs::read_to_string(p).unwrap();
            fs::write(p, text.replace("\"2024-01\"", "\"January\"")).unwrap();
        },
        &["`start`: expected a month as YYYY-MM, got `January`"],
    );
    fails_cleanly(
        "runs.csv",
        |p| {
            let text = fs::read_to_string(p).unwrap();
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            let mut fields: Vec<String> = lines[3].split(',').map(String::from).collect();
            fields[1] = "lots".to_string();
            lines[3] = fields.join(",");
            fs::write(p, lines.join("\n")).unwrap();
        },
        &["line 4, column `lead_changes_quality`: expected a whole number, got `lots`"],
    );
    fails_cleanly("spells.csv", |p| fs::write(p, "").unwrap(), &["spells.csv"]);
    fails_cleanly(
        "sample_runs.csv",
        |p| fs::write(p, [0xff, 0xfe, 0x00, 0x41]).unwrap(),
        &["sample_runs.csv"],
    );
    fails_cleanly(
        "bands.csv",
        |p| {
            let text = fs::read_to_string(p).unwrap();
            fs::write(p, text.replace(",leader_train,", ",leader_training,")).unwrap();
        },
        &["no rows for series `leader_train`"],
    );
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
    assert_eq!(written.len(), CHART_NAMES.len());
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
    assert_eq!(written.len(), CHART_NAMES.len() * 2);
}

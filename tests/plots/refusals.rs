//! Inputs `plot` refuses, each naming the file and what is wrong, with no chart drawn:
//! missing, malformed, incomplete, repeated, unknown or out-of-bounds content.

use std::fs;

use crate::fixture::{
    MONTHS, RUNS, fails_cleanly, fixture, keep_lines, month_of, repeat_line, set_cell,
};
use racerun::plot::{PlotOptions, draw_all};

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
        &[
            "column `series`: expected a world series",
            "got `leader_training`",
        ],
    );
}

// bands.csv: every lab, month and series exactly once, known ids, numbers that parse.

#[test]
fn truncated_bands_csv_is_refused() {
    fails_cleanly(
        "bands.csv",
        |p| keep_lines(p, |i, l| i == 0 || month_of(l, 0).is_some_and(|m| m < 36)),
        &["series `quality`, lab `alpha`: no rows for months 36-59 of the 60 in summary.json"],
    );
}

#[test]
fn bands_missing_a_lab_is_refused() {
    fails_cleanly(
        "bands.csv",
        |p| keep_lines(p, |_, l| !l.contains(",gamma,")),
        &["no rows for series `quality`, lab `gamma`"],
    );
}

#[test]
fn bands_missing_a_month_is_refused() {
    fails_cleanly(
        "bands.csv",
        |p| keep_lines(p, |i, l| i == 0 || month_of(l, 0) != Some(17)),
        &["series `quality`, lab `alpha`: no row for month 17 of the 60"],
    );
}

#[test]
fn bands_missing_a_series_is_refused() {
    fails_cleanly(
        "bands.csv",
        |p| keep_lines(p, |_, l| !l.contains(",demand,")),
        &["no rows for series `demand`, lab `all`"],
    );
}

#[test]
fn bands_with_a_duplicated_row_is_refused() {
    fails_cleanly(
        "bands.csv",
        |p| repeat_line(p, 5),
        &["line 2642: a second row for month 0 of series `train_fraction`, lab `alpha`"],
    );
}

#[test]
fn bands_with_an_unknown_lab_id_is_refused() {
    fails_cleanly(
        "bands.csv",
        |p| set_cell(p, 3, "lab", "delta"),
        &[
            "line 4, column `lab`: expected a lab id of summary.json (alpha, beta, gamma) or \
             `all`, got `delta`",
        ],
    );
}

#[test]
fn bands_with_a_month_past_the_horizon_is_refused() {
    fails_cleanly(
        "bands.csv",
        |p| set_cell(p, 1, "month", "60"),
        &["line 2, column `month`: expected a month from 0 to 59, got `60`"],
    );
}

#[test]
fn bands_number_that_does_not_parse_is_refused() {
    fails_cleanly(
        "bands.csv",
        |p| set_cell(p, 2, "p75", "1.2.3"),
        &["line 3, column `p75`: expected a number, got `1.2.3`"],
    );
}

// runs.csv: every run exactly once, known labs.

#[test]
fn truncated_runs_csv_is_refused() {
    fails_cleanly(
        "runs.csv",
        |p| keep_lines(p, |i, _| i <= 150),
        &["150 rows for the 200 runs of summary.json (run 150 is missing)"],
    );
}

#[test]
fn runs_csv_with_a_duplicated_run_is_refused() {
    fails_cleanly(
        "runs.csv",
        |p| {
            keep_lines(p, |i, _| i != 8);
            repeat_line(p, 3);
        },
        &["run 2 appears twice (lines 4 and 201)"],
    );
}

#[test]
fn runs_csv_with_an_unknown_final_leader_is_refused() {
    fails_cleanly(
        "runs.csv",
        |p| set_cell(p, 7, "final_leader_market", "delta"),
        &[
            "line 8, column `final_leader_market`: expected a lab id of summary.json (alpha, beta, gamma), got `delta`",
        ],
    );
}

#[test]
fn runs_csv_with_an_unknown_lab_column_is_refused() {
    fails_cleanly(
        "runs.csv",
        |p| {
            let text = fs::read_to_string(p).unwrap();
            fs::write(
                p,
                text.replacen("final_share.gamma", "final_share.delta", 1),
            )
            .unwrap();
        },
        &[
            "column `final_share.delta`: expected a lab id of summary.json (alpha, beta, gamma), got `delta`",
        ],
    );
}

#[test]
fn runs_csv_missing_a_lab_column_is_refused() {
    fails_cleanly(
        "runs.csv",
        |p| {
            let text = fs::read_to_string(p).unwrap();
            let header = text.lines().next().unwrap();
            let col = header
                .split(',')
                .position(|h| h == "months_led_quality.beta")
                .unwrap();
            let cut: String = text
                .lines()
                .map(|l| {
                    let mut cells: Vec<&str> = l.split(',').collect();
                    cells.remove(col);
                    cells.join(",") + "\n"
                })
                .collect();
            fs::write(p, cut).unwrap();
        },
        &["missing column `months_led_quality.beta`"],
    );
}

#[test]
fn runs_csv_number_that_does_not_parse_is_refused() {
    fails_cleanly(
        "runs.csv",
        |p| set_cell(p, 9, "persistence_quality", "high"),
        &["line 10, column `persistence_quality`: expected a number, got `high`"],
    );
}

// sample_runs.csv: every lab and month of every sample run exactly once.

#[test]
fn truncated_sample_runs_csv_is_refused() {
    let rows = 3 * MONTHS as usize;
    fails_cleanly(
        "sample_runs.csv",
        |p| keep_lines(p, |i, _| i <= 2 * rows - 30),
        &["run 1 has 150 rows; expected one per lab and month (3 labs x 60 months = 180)"],
    );
}

#[test]
fn sample_runs_with_a_duplicated_row_is_refused() {
    fails_cleanly(
        "sample_runs.csv",
        |p| repeat_line(p, 4),
        &["a second row for run 0, month 1, lab `alpha`"],
    );
}

#[test]
fn sample_runs_with_an_unknown_lab_id_is_refused() {
    fails_cleanly(
        "sample_runs.csv",
        |p| set_cell(p, 200, "lab", "Alpha"),
        &[
            "line 201, column `lab`: expected a lab id of summary.json (alpha, beta, gamma), got `Alpha`",
        ],
    );
}

#[test]
fn sample_runs_number_that_does_not_parse_is_refused() {
    fails_cleanly(
        "sample_runs.csv",
        |p| set_cell(p, 11, "cash", "lots"),
        &["line 12, column `cash`: expected a number, got `lots`"],
    );
    fails_cleanly(
        "sample_runs.csv",
        |p| set_cell(p, 12, "released", "2"),
        &["line 13, column `released`: expected 0 or 1, got `2`"],
    );
}

// spells.csv

#[test]
fn spells_of_impossible_length_are_refused() {
    fails_cleanly(
        "spells.csv",
        |p| set_cell(p, 1, "length", "61"),
        &["line 2, column `length`: expected a spell length from 1 to 60 months, got `61`"],
    );
    fails_cleanly(
        "spells.csv",
        |p| set_cell(p, 1, "length", "0"),
        &["expected a spell length from 1 to 60 months, got `0`"],
    );
}

#[test]
fn spells_with_a_duplicated_length_are_refused() {
    fails_cleanly(
        "spells.csv",
        |p| repeat_line(p, 5),
        &["two rows for quality spells of length 3"],
    );
}

#[test]
fn spells_of_an_unknown_kind_are_refused() {
    fails_cleanly(
        "spells.csv",
        |p| set_cell(p, 4, "kind", "customers"),
        &["line 5, column `kind`: expected `quality` or `market`, got `customers`"],
    );
}

// summary.json: sizes bounded before anything is allocated, ids known and distinct.

#[test]
fn summary_claiming_a_billion_months_is_refused() {
    let start = std::time::Instant::now();
    fails_cleanly(
        "summary.json",
        |p| {
            let text = fs::read_to_string(p).unwrap();
            let text = text.replace(&format!("\"months\": {MONTHS}"), "\"months\": 1000000000");
            fs::write(p, text).unwrap();
        },
        &["`months`: expected 1 to 1200, got 1000000000"],
    );
    assert!(start.elapsed().as_secs() < 5, "refused only after work");
}

#[test]
fn summary_claiming_more_runs_than_runs_csv_holds_is_refused() {
    let (_tmp, dir) = fixture();
    let path = dir.join("summary.json");
    let text = fs::read_to_string(&path).unwrap();
    let claimed = format!("\"runs\": {RUNS}");
    fs::write(&path, text.replace(&claimed, "\"runs\": 10000000000000")).unwrap();
    let message = draw_all(&dir, &PlotOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("runs.csv: 200 rows for the 10000000000000 runs"),
        "{message}"
    );
    assert!(!dir.join("charts").exists());
}

#[test]
fn summary_with_a_reserved_or_repeated_lab_id_is_refused() {
    for (from, to, want) in [
        (
            "\"gamma\"",
            "\"all\"",
            "`labs[2].id`: expected a lab id other than `all`, got `all`",
        ),
        ("\"gamma\"", "\"beta\"", "`labs[2].id`: duplicate id `beta`"),
    ] {
        fails_cleanly(
            "summary.json",
            |p| {
                let text = fs::read_to_string(p).unwrap();
                fs::write(p, text.replacen(from, to, 1)).unwrap();
            },
            &[want],
        );
    }
}

#[test]
fn oversized_summary_is_refused_without_reading_it() {
    fails_cleanly(
        "summary.json",
        |p| {
            let file = fs::OpenOptions::new().write(true).open(p).unwrap();
            // Sparse: a size claimed by the file system, not bytes written.
            file.set_len(65 << 20).unwrap();
        },
        &["68157440 bytes is too large for a run summary (at most 64 MiB)"],
    );
}

//! `report.html` in a real browser: headless Chromium, driven over the DevTools protocol
//! (`browser/cdp.rs`), loads the reports of a run, a sweep and a comparison at desktop
//! width and at a phone's (390 px, emulated as a mobile screen), and of an explanation at
//! both widths, and checks: no console
//! message, exception or failed load (the page loads nothing from the network, and the
//! browser is cut off from it), the page's script ran, every chart is in the DOM as an
//! SVG with how to read it, the page is no wider than the screen, and a screenshot of
//! the whole page has the page's size and is not blank.
//!
//! Without a browser the test says so and passes; with `RACERUN_REQUIRE_BROWSER=1` (as
//! `.ci/run` sets) a missing browser fails it. The browser is `RACERUN_CHROMIUM`, else
//! `chromium`, `chromium-browser` or `google-chrome` on the PATH. To look at the
//! screenshots: `RACERUN_KEEP_SCREENSHOTS=/some/dir cargo test --release --test browser`.

mod cdp;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::json;

const DESKTOP: u32 = 1280;
const PHONE: u32 = 390;

fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("RACERUN_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let dirs = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&dirs).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// What the page says about itself once loaded.
const INSPECT: &str = "JSON.stringify({
  ready: document.documentElement.getAttribute('data-ready'),
  height: document.documentElement.scrollHeight,
  width: document.documentElement.scrollWidth,
  charts: Array.from(document.querySelectorAll('figure[data-chart]'))
    .filter(f => f.querySelector('svg') && f.textContent.includes('How to read it.'))
    .map(f => f.getAttribute('data-chart'))
})";

/// Loads `report` on a screen `width` CSS pixels wide and checks it (see the module
/// docs); returns the screenshot.
fn check(bin: &Path, report: &Path, charts: &[&str], width: u32, shots: &Path) -> PathBuf {
    let what = format!("{} at {width} px", report.display());
    let mut b = cdp::Browser::start(bin);
    let screen = |height: u32| {
        json!({"width": width, "height": height, "deviceScaleFactor": 1,
               "mobile": width < 600, "screenWidth": width, "screenHeight": height})
    };
    b.call("Emulation.setDeviceMetricsOverride", screen(900));
    b.call(
        "Page.navigate",
        json!({"url": format!("file://{}", report.display())}),
    );
    b.wait_for("Page.loadEventFired");
    let page: serde_json::Value = serde_json::from_str(b.eval(INSPECT).as_str().unwrap()).unwrap();
    assert_eq!(
        page["ready"], "yes",
        "{what}: the page's script did not run"
    );
    let found: HashSet<&str> = page["charts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    for chart in charts {
        assert!(
            found.contains(chart),
            "{what}: chart {chart} is not in the DOM ({found:?})"
        );
    }
    let (height, page_width) = (
        page["height"].as_u64().unwrap(),
        page["width"].as_u64().unwrap(),
    );
    assert!(
        page_width <= u64::from(width),
        "{what}: the page is {page_width} px wide"
    );
    assert!(height > 900, "{what}: {height} px cannot hold the report");
    let height = u32::try_from(height).unwrap();

    // The whole page on one screen as tall as the page, then a screenshot of it.
    b.call("Emulation.setDeviceMetricsOverride", screen(height));
    let again: serde_json::Value = serde_json::from_str(b.eval(INSPECT).as_str().unwrap()).unwrap();
    assert_eq!(
        again["height"].as_u64(),
        Some(u64::from(height)),
        "{what}: height moved"
    );
    let png = b.call("Page.captureScreenshot", json!({"format": "png"}));
    let bytes = cdp::base64(png["data"].as_str().unwrap());
    let messages = b.messages();
    assert!(
        messages.is_empty(),
        "{what}: console messages: {messages:#?}"
    );
    drop(b);

    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(
        (img.width(), img.height()),
        (width, height),
        "{what}: screenshot size"
    );
    let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 100,
        "{what}: screenshot looks blank ({} colours)",
        colours.len()
    );
    // The footer's text sits in the last 200 pixels: the page ends where the shot does.
    let ink = (height.saturating_sub(200)..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0.iter().any(|&c| c < 160))
        .count();
    assert!(ink > 50, "{what}: nothing drawn at the bottom of the page");
    let name = report
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    let shot = shots.join(format!("{name}-{width}.png"));
    std::fs::write(&shot, &bytes).unwrap();
    shot
}

fn racerun(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("racerun").unwrap();
    cmd.current_dir(root);
    cmd
}

#[test]
fn reports_load_in_a_real_browser() {
    let Some(bin) = browser() else {
        if std::env::var_os("RACERUN_REQUIRE_BROWSER").is_some() {
            panic!("RACERUN_REQUIRE_BROWSER is set but no browser was found: install chromium");
        }
        eprintln!(
            "skipping the browser test: no chromium, chromium-browser or google-chrome on the \
             PATH (and RACERUN_CHROMIUM unset); install the Debian package `chromium`"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for name in ["race", "run"] {
        racerun(root)
            .args(["run", name, "--runs", "40", "--seed", "42", "--quiet"])
            .assert()
            .success();
    }
    racerun(root)
        .args([
            "sweep",
            "baseline",
            "--vary",
            "world.dynamics.kappa=0:2:3",
            "--runs",
            "8",
        ])
        .args(["--seed", "42", "--quiet"])
        .assert()
        .success();
    racerun(root)
        .args(["compare", "output/race", "output/run", "--quiet"])
        .assert()
        .success();
    racerun(root)
        .args(["explain", "race", "--runs", "40", "--samples", "3"])
        .args(["--seed", "42", "--quiet"])
        .assert()
        .success();
    let shots = match std::env::var_os("RACERUN_KEEP_SCREENSHOTS") {
        Some(dir) => PathBuf::from(dir),
        None => root.join("shots"),
    };
    std::fs::create_dir_all(&shots).unwrap();
    let out = root.join("output");
    // Every chart of the run; lead survival once the summary carries it.
    let run_charts: Vec<&str> = racerun::plot::CHART_NAMES
        .iter()
        .copied()
        .filter(|n| *n != "lead_survival" || out.join("race/charts/lead_survival.svg").is_file())
        .collect();
    for width in [DESKTOP, PHONE] {
        check(
            &bin,
            &out.join("race/report.html"),
            &run_charts,
            width,
            &shots,
        );
    }
    check(
        &bin,
        &out.join("baseline-sweep-kappa/report.html"),
        &["sweep"],
        DESKTOP,
        &shots,
    );
    let compare = out.join("compare-race-run");
    let mut compare_charts = vec!["compare_scatter"];
    if compare.join("charts/compare_survival.svg").is_file() {
        compare_charts.push("compare_survival");
    }
    check(
        &bin,
        &compare.join("report.html"),
        &compare_charts,
        PHONE,
        &shots,
    );
    for width in [DESKTOP, PHONE] {
        check(
            &bin,
            &out.join("race-explain/report.html"),
            &["attribution", "leapfrogs"],
            width,
            &shots,
        );
    }
}

/// The checks above can fail: a page that logs, throws and fetches from the network is
/// caught on all three counts.
#[test]
fn console_errors_and_network_loads_are_caught() {
    let Some(bin) = browser() else {
        if std::env::var_os("RACERUN_REQUIRE_BROWSER").is_some() {
            panic!("RACERUN_REQUIRE_BROWSER is set but no browser was found: install chromium");
        }
        eprintln!("skipping the browser test: no browser (see reports_load_in_a_real_browser)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><img src=\"https://example.org/x.png\">\
         <script>console.error('boom'); missingFunction();</script></body></html>",
    )
    .unwrap();
    let mut b = cdp::Browser::start(&bin);
    b.call(
        "Page.navigate",
        json!({"url": format!("file://{}", page.display())}),
    );
    b.wait_for("Page.loadEventFired");
    b.eval("1");
    let messages = b.messages().join("\n");
    assert!(messages.contains("boom"), "{messages}");
    assert!(messages.contains("missingFunction"), "{messages}");
    assert!(
        messages.contains("example.org"),
        "the blocked load is reported: {messages}"
    );
}

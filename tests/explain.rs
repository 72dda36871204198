//! `racerun explain` on constructed worlds whose cause is known by construction, and the
//! attribution's own guarantees (the effects add up, unused channels are zero without
//! being simulated). Each world is a small scenario written here.

use racerun::explain::{self, CHANNELS, Channel, Explanation, Setup};
use racerun::scenario::Scenario;

/// Runs `range` of an explanation of `runs` runs (seed 42) whose profile is the mean of
/// runs `0..profile_runs`, with the scenario they explain.
fn explain_part(
    text: &str,
    runs: u64,
    range: std::ops::Range<u64>,
    profile_runs: u64,
    samples: u64,
    channels: &[Channel],
) -> (Scenario, explain::Part) {
    let scenario = Scenario::load(text, "test", &[]).unwrap();
    let setup = Setup {
        scenario: &scenario,
        channels: channels.to_vec(),
        seed: 42,
        runs,
        samples,
        profile_runs,
    };
    let part = explain::explain(&setup, range, &|_, _| {}).unwrap();
    (scenario, part)
}

fn explain_world(text: &str, runs: u64, channels: &[Channel]) -> Explanation {
    let (scenario, part) = explain_part(text, runs, 0..runs, runs, 2, channels);
    explain::finish(&scenario, channels, 42, &part)
}

fn share(e: &Explanation, measure: &str, channel: Channel) -> f64 {
    e.summary.attribution.measures[measure].channels[channel.name()]
        .share
        .unwrap()
}

fn effect(e: &Explanation, measure: &str, channel: Channel) -> f64 {
    e.summary.attribution.measures[measure].channels[channel.name()].effect
}

fn regime(e: &Explanation) -> &str {
    &e.summary.summary.verdict.regime
}

/// Three labs with the same runs, releasing in turn (first releases at months 2, 4, 6
/// of 6-month runs), no luck, fixed policies: each new model is two months of
/// algorithmic progress newer than the leader's.
const CLOCKWORK: &str = r#"
name = "clockwork"
[world.algorithms]
elo_per_decade = 200.0     # two months of progress are worth 16 Elo, above the lead margin
release_sigma = 0.0
[world.gpus]
life_months = 1200.0
[[labs]]
id = "a"
first_release = 2
policy = { kind = "fixed", train = 0.5 }
[[labs]]
id = "b"
first_release = 4
policy = { kind = "fixed", train = 0.5 }
[[labs]]
id = "c"
first_release = 6
policy = { kind = "fixed", train = 0.5 }
"#;

#[test]
fn clockwork_rotation_is_a_run_caused_by_the_cadence() {
    let e = explain_world(CLOCKWORK, 100, &CHANNELS);
    assert_eq!(regime(&e), "run");
    let persistence = e.summary.summary.verdict.persistence_normalised.unwrap();
    assert!(persistence.mean.abs() < 0.05, "{persistence:?}");
    assert!(share(&e, "changes_per_year_quality", Channel::Cadence) >= 0.8);
    assert!(share(&e, "persistence_norm_quality", Channel::Cadence) >= 0.8);
    // Nothing else in the world moves: no luck, no response to the lead.
    let a = &e.summary.attribution;
    let used: Vec<&str> = a
        .channels
        .iter()
        .filter(|c| c.status == explain::Status::Used)
        .map(|c| c.name.as_str())
        .collect();
    assert!(
        !used.contains(&"luck") && !used.contains(&"headwind"),
        "{used:?}"
    );
    assert_eq!(a.worlds, 1 << used.len(), "unused: not simulated");
    assert!(
        a.sentence
            .starts_with("RUN: the quality lead changes 5.9 times a year"),
        "{}",
        a.sentence
    );
    assert!(
        a.sentence.contains("the cadence accounts for 100%"),
        "{}",
        a.sentence
    );
}

/// Three labs releasing in step with no luck, one 20 Elo ahead (and one 5), customers
/// herding to the best model whatever its price, `serve_first` policies and scarce GPUs:
/// the leader serves its herd and trains less. (Customers who also weigh price would
/// leave a sold-out leader as its price rises, which relieves the headwind: with the
/// default price sensitivity this world is MIXED.)
const HEADWIND: &str = r#"
name = "headwind"
months = 60
[world.algorithms]
release_sigma = 0.0
[world.demand]
d0 = 100000.0
growth = 1.5
shock_sigma = 0.05
[world.market]
beta = 20.0
switching = 0.8
overflow_loss = 0.8
price_sensitivity = 0.0
[world.gpus]
supply = 6000.0
supply_growth = 1.5
rationing = "fleet"
build_lag = 6
[[labs]]
id = "a"
fleet = 60000.0
quality = 1270.0
policy = { kind = "serve_first", min_train = 0.2, max_train = 0.9 }
[[labs]]
id = "b"
fleet = 60000.0
quality = 1255.0
policy = { kind = "serve_first", min_train = 0.2, max_train = 0.9 }
[[labs]]
id = "c"
fleet = 60000.0
policy = { kind = "serve_first", min_train = 0.2, max_train = 0.9 }
"#;

#[test]
fn a_leader_that_serves_its_herd_is_leapfrogged() {
    let e = explain_world(HEADWIND, 100, &CHANNELS);
    assert_eq!(regime(&e), "run");
    let changes = &e.summary.attribution.measures["changes_per_year_quality"];
    assert!(
        changes.factual > 1.0 && changes.all_off == 0.0,
        "{changes:?}"
    );
    assert!(
        share(&e, "changes_per_year_quality", Channel::Headwind) >= 0.8,
        "{changes:?}"
    );
    // The same world with fixed policies at each lab's own level never changes leader.
    let fixed = HEADWIND.replace(
        "kind = \"serve_first\", min_train = 0.2, max_train = 0.9",
        "kind = \"fixed\", train = 0.5",
    );
    let f = explain_world(&fixed, 20, &CHANNELS);
    assert_eq!(
        f.summary.attribution.measures["changes_per_year_quality"].factual,
        0.0
    );
    // Each lead change's margin splits exactly, and training shares win it.
    assert!(!e.leapfrogs.is_empty());
    for l in &e.leapfrogs {
        let parts: f64 = [
            l.fleet,
            l.training_share,
            l.research_efficiency,
            l.vintage,
            l.run_length,
            l.self_improvement,
            l.spillover,
            l.carried,
            l.luck,
            l.initial,
        ]
        .iter()
        .sum();
        assert!((parts - l.margin).abs() < 1e-6, "{l:?}");
        assert!(l.luck.abs() < 1e-6, "no research luck in this world: {l:?}");
    }
    let by_share: f64 = e.leapfrogs.iter().map(|l| l.training_share).sum();
    assert!(by_share > 0.0, "the challenger trained a larger share");
}

/// Abundant GPUs and power, and strong self-improvement; releases staggered and lucky.
const RACE: &str = r#"
name = "race"
[world.algorithms]
release_sigma = 15.0
[world.dynamics]
kappa = 2.0
research_cap = 1000.0
[world.market]
switching = 0.05
[world.gpus]
supply = 1e9
supply_growth = 1.0
[world.power]
additions = 1000.0
[[labs]]
id = "a"
first_release = 2
funding = 4e8
policy = { kind = "serve_first", min_train = 0.5, max_train = 0.85 }
[[labs]]
id = "b"
first_release = 4
funding = 4e8
policy = { kind = "serve_first", min_train = 0.5, max_train = 0.85 }
[[labs]]
id = "c"
first_release = 6
funding = 4e8
policy = { kind = "serve_first", min_train = 0.5, max_train = 0.85 }
"#;

#[test]
fn self_improvement_makes_a_race() {
    let e = explain_world(RACE, 150, &CHANNELS);
    assert_eq!(regime(&e), "race");
    let m = "persistence_norm_quality";
    let si = effect(&e, m, Channel::SelfImprovement);
    let a = &e.summary.attribution.measures[m];
    // In the world with every channel off no lab ever leads (identical labs, nothing
    // changes hands: persistence 1); of what moves persistence, self-improvement is the
    // one force that raises it, and the largest share.
    for (name, other) in &a.channels {
        if name != "self_improvement" {
            assert!(other.effect < si, "{name}: {other:?} against {si}");
            assert!(
                other.share.unwrap_or(0.0).abs()
                    < a.channels["self_improvement"].share.unwrap().abs(),
                "{name}"
            );
        }
    }
    assert!(si > 0.2, "{si}");
    // With release luck and the cadence part of the world (kept on), self-improvement
    // accounts for nearly all of the persistence above a world without it.
    let asked: Vec<Channel> = CHANNELS
        .into_iter()
        .filter(|c| !matches!(c, Channel::Luck | Channel::Cadence))
        .collect();
    // Without it persistence is near a run's (0.30 at 150 runs; 0.7 more with it).
    let e = explain_world(RACE, 150, &asked);
    assert!(share(&e, m, Channel::SelfImprovement) >= 0.8);
    assert!(e.summary.attribution.measures[m].all_off < 0.35);
}

/// Fixed policies, in step, nothing but research luck; releases every two months.
const LUCK: &str = r#"
name = "luck"
[world.algorithms]
algo_progress = 10.0
elo_per_decade = 200.0
release_sigma = 40.0
[world.dynamics]
kappa_abs = 0.0
[[labs]]
id = "a"
run_months = 2
reinvest = 0.0
policy = { kind = "fixed", train = 0.5 }
[[labs]]
id = "b"
run_months = 2
reinvest = 0.0
policy = { kind = "fixed", train = 0.5 }
[[labs]]
id = "c"
run_months = 2
reinvest = 0.0
policy = { kind = "fixed", train = 0.5 }
"#;

#[test]
fn luck_alone_is_near_chance() {
    let e = explain_world(LUCK, 200, &CHANNELS);
    assert_eq!(regime(&e), "run");
    let p = e.summary.summary.verdict.persistence_normalised.unwrap();
    assert!(p.mean.abs() < 0.1, "{p:?}");
    assert_eq!(e.summary.attribution.worlds, 2, "only luck is used");
    assert_eq!(share(&e, "persistence_norm_quality", Channel::Luck), 1.0);
}

#[test]
fn uncertain_inputs_are_drawn_per_run_and_switched_off_after() {
    // Research luck drawn per run: still the one channel, and off means off in every run.
    let text = LUCK.replace(
        "release_sigma = 40.0",
        "release_sigma = { dist = \"uniform\", min = 20.0, max = 60.0 }",
    );
    let e = explain_world(&text, 60, &CHANNELS);
    assert_eq!(e.summary.attribution.worlds, 2);
    assert_eq!(e.summary.summary.inputs.len(), 1);
    let off = &e.worlds[0];
    assert_eq!(off.on[4], Some(false));
    assert_eq!(
        off.means[0], 0.0,
        "no luck, in step: no lead change in any run"
    );
}

#[test]
fn the_effects_add_up_to_the_difference_from_the_world_without_them() {
    for (text, runs) in [(HEADWIND, 60), (RACE, 60)] {
        let e = explain_world(text, runs, &CHANNELS);
        for (name, m) in &e.summary.attribution.measures {
            let sum: f64 = m.channels.values().map(|c| c.effect).sum();
            let scale = m.factual.abs().max(m.all_off.abs()).max(1.0);
            assert!(
                (sum - m.total).abs() < 1e-9 * scale,
                "{name}: {sum} vs {}",
                m.total
            );
            if let Some(s) = m
                .channels
                .values()
                .map(|c| c.share)
                .collect::<Option<Vec<f64>>>()
            {
                assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{name}: {s:?}");
            }
        }
        // Every world of the plan is listed, its means finite.
        assert_eq!(e.worlds.len(), e.summary.attribution.worlds);
        assert!(
            e.worlds
                .iter()
                .all(|w| w.means.iter().all(|v| v.is_finite()))
        );
    }
}

/// Two labs whose policy responds in name only (`serve_first` with `min_train` =
/// `max_train`, so they always train 0.75) and one `fixed` lab whose fraction is an
/// uncertain input, drawn per run: no allocation responds to a lead or to demand.
const NOTHING_RESPONDS: &str = r#"
name = "nothing-responds"
[world.algorithms]
elo_per_decade = 200.0
release_sigma = 0.0
[[labs]]
id = "a"
first_release = 2
policy = { kind = "serve_first", min_train = 0.75, max_train = 0.75 }
[[labs]]
id = "b"
first_release = 4
policy = { kind = "serve_first", min_train = 0.75, max_train = 0.75 }
[[labs]]
id = "c"
first_release = 6
policy = { kind = "fixed", train = { dist = "uniform", min = 0.3, max = 0.9 } }
"#;

#[test]
fn headwind_off_leaves_fixed_labs_their_own_fractions_even_when_drawn() {
    // The `fixed` lab keeps the fraction drawn for its run (docs/attribution.md), and the
    // other two train 0.75 either way: the world with the headwind off is the factual
    // world, and the headwind accounts for nothing in any measure.
    let e = explain_world(NOTHING_RESPONDS, 40, &[Channel::Headwind]);
    assert_eq!(e.summary.attribution.worlds, 2, "the headwind is used");
    assert_eq!(
        e.worlds[0].means, e.worlds[1].means,
        "off and factual differ"
    );
    for (name, m) in &e.summary.attribution.measures {
        assert_eq!(effect(&e, name, Channel::Headwind), 0.0, "{name}: {m:?}");
    }
}

#[test]
fn scarcity_that_only_raises_the_gpu_price_is_used() {
    // With price_response 3 the labs' orders at the raised price fall below the supply
    // (the GPU price sits at its cap of 10 times the base in most months), and with the
    // power additions lifted the power never binds: scarcity is still at work, through
    // the price.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/baseline.toml"
    ))
    .unwrap()
    .replace(
        "rationing = \"orders\"",
        "rationing = \"orders\"\nprice_response = 3.0",
    )
    .replace("additions = 2.0 ", "additions = 1e6 ");
    let e = explain_world(&text, 4, &[Channel::Scarcity]);
    let status = |name: &str| {
        e.summary
            .attribution
            .channels
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .status
    };
    assert_eq!(status("scarcity"), explain::Status::Used);
    assert_eq!(e.summary.attribution.worlds, 2);
}

#[test]
fn one_run_gives_no_interval_rather_than_a_zero_width_one() {
    let e = explain_world(LUCK, 1, &CHANNELS);
    let s = &e.summary.attribution.sentence;
    assert!(!s.contains("95% CI"), "{s}");
    assert!(
        // One channel used: its effect, not its 100% share.
        s.contains("release luck moves it by +2.30 (one run, so no interval)"),
        "{s}"
    );
    let two = explain_world(LUCK, 2, &CHANNELS);
    let s = &two.summary.attribution.sentence;
    assert!(s.contains("(95% CI "), "{s}");
}

mod cli {
    use std::path::Path;

    use assert_cmd::Command;

    fn racerun() -> Command {
        let mut cmd = Command::cargo_bin("racerun").unwrap();
        cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")));
        cmd
    }

    /// `racerun merge` of the shards in `dir`'s `a` and `b` into `out`.
    fn merge(dir: &Path, a: &str, b: &str, out: &str) -> assert_cmd::assert::Assert {
        racerun()
            .arg("merge")
            .arg(dir.join(a))
            .arg(dir.join(b))
            .args(["-q", "--out"])
            .arg(dir.join(out))
            .assert()
    }

    const FILES: [&str; 7] = [
        "summary.json",
        "attribution.csv",
        "worlds.csv",
        "leapfrogs.csv",
        "scenario.toml",
        "charts/attribution.svg",
        "charts/leapfrogs.svg",
    ];

    #[test]
    fn the_command_imposes_the_same_profile_whatever_its_runs() {
        // Shard 1 of 2 is runs 0-255 both at --runs 300 and at --runs 512: with the
        // profile of runs 0-999 either way, their attributions are the same bits.
        use racerun::experiment::partial::Payload;
        use racerun::output::partial::{AnyPartial, read_partial};
        let tmp = tempfile::tempdir().unwrap();
        let scenario = tmp.path().join("race.toml");
        std::fs::write(&scenario, super::RACE).unwrap();
        let rows = |runs: &str| {
            let out = tmp.path().join(format!("r{runs}"));
            racerun()
                .arg("explain")
                .arg(&scenario)
                .args(["--channels", "headwind", "--runs", runs, "--samples", "0"])
                .args(["--set", "months=36", "--shard", "1/2", "-q", "--out"])
                .arg(&out)
                .assert()
                .success();
            match read_partial(&out).unwrap() {
                AnyPartial::Shard(p) => match p.payload {
                    Payload::Explain(e) => e.part.rows,
                    other => panic!("not an explanation: {other:?}"),
                },
                AnyPartial::Sensitivity(_) => panic!("not an explanation"),
            }
        };
        let (a, b) = (rows("300"), rows("512"));
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
    }

    #[test]
    fn another_profile_is_another_explanation() {
        // --profile-runs 200 imposes the means of runs 0-199: the method says so, the
        // headwind-off world is another one, and its shards do not merge with the
        // default's.
        let tmp = tempfile::tempdir().unwrap();
        let scenario = tmp.path().join("race.toml");
        std::fs::write(&scenario, super::RACE).unwrap();
        let explain = |out: &str, extra: &[&str]| {
            let runs = if extra.contains(&"--shard") {
                "512"
            } else {
                "100"
            };
            racerun()
                .arg("explain")
                .arg(&scenario)
                .args(["--channels", "headwind", "--runs", runs, "--samples", "0"])
                .args(["--set", "months=36", "--no-plots", "-q"])
                .args(extra)
                .arg("--out")
                .arg(tmp.path().join(out))
                .assert()
        };
        explain("p200", &["--profile-runs", "200"]).success();
        explain("p1000", &[]).success();
        let summary = |dir: &str| -> serde_json::Value {
            let text = std::fs::read_to_string(tmp.path().join(dir).join("summary.json"));
            serde_json::from_str(&text.unwrap()).unwrap()
        };
        let (a, b) = (summary("p200"), summary("p1000"));
        let method = a["attribution"]["method"].as_str().unwrap();
        assert!(method.ends_with("means over runs 0-199"), "{method}");
        let off = |s: &serde_json::Value| s["attribution"]["worlds"].clone();
        assert_eq!(off(&a), off(&b), "the same worlds");
        let worlds = |dir: &str| std::fs::read(tmp.path().join(dir).join("worlds.csv")).unwrap();
        assert_ne!(worlds("p200"), worlds("p1000"), "another imposed profile");
        explain("s1", &["--profile-runs", "200", "--shard", "1/2"]).success();
        explain("s2", &["--shard", "2/2"]).success();
        merge(tmp.path(), "s1", "s2", "bad")
            .code(2)
            .stderr(predicates::str::contains("--profile-runs differ"));
        explain("big", &["--profile-runs", "2000000000"])
            .code(2)
            .stderr(predicates::str::contains("--profile-runs 2000000000"));
    }

    #[test]
    fn explain_writes_its_files_and_shards_merge_into_the_same_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let scenario = tmp.path().join("headwind.toml");
        std::fs::write(&scenario, super::HEADWIND).unwrap();
        let whole = tmp.path().join("whole");
        let out = racerun()
            .arg("explain")
            .arg(&scenario)
            .args(["--runs", "300", "--samples", "3", "--threads", "2"])
            // An override equal to the file's value: the merged summary must carry it too.
            .args(["--set", "months=60", "--out"])
            .arg(&whole)
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(stdout.contains("lead changes a year (quality)"), "{stdout}");
        assert!(stdout.contains("RUN: the quality lead changes"), "{stdout}");
        assert!(stdout.contains("the headwind accounts for"), "{stdout}");
        for f in FILES
            .iter()
            .chain(&["manifest.json", "charts/attribution.png"])
        {
            assert!(whole.join(f).is_file(), "{f} missing");
        }
        let manifest = std::fs::read_to_string(whole.join("manifest.json")).unwrap();
        assert!(manifest.contains("\"kind\": \"explain\""), "{manifest}");
        let attribution = std::fs::read_to_string(whole.join("attribution.csv")).unwrap();
        assert!(attribution.starts_with(
            "measure,channel,status,effect,share,ci_low,ci_high,share_ci_low,share_ci_high,sampling_se,factual,all_off\n"
        ));
        assert_eq!(
            attribution.lines().count(),
            1 + 8 * 7,
            "8 measures x 7 channels"
        );
        assert!(attribution.contains("\nchanges_per_year_quality,luck,unused,0,0,0,0,0,0,NA,"));
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(whole.join("summary.json")).unwrap())
                .unwrap();
        let why = summary["verdict"]["sentence"].as_str().unwrap();
        assert!(why.contains(" Why: the quality lead changes"), "{why}");
        // The method says where the imposed allocation comes from: runs 0-999, not the
        // 300 explained.
        let method = summary["attribution"]["method"].as_str().unwrap();
        assert!(
            method.ends_with("the worlds with the headwind or money off impose the factual world's means over runs 0-999"),
            "{method}"
        );
        let h =
            &summary["attribution"]["measures"]["changes_per_year_quality"]["channels"]["headwind"];
        assert!(h["share"].as_f64().unwrap() >= 0.8, "{h}");
        assert!(h["ci_low"].is_number() && h["ci_high"].is_number());
        assert_eq!(
            summary["survival"]["quality"]["h"]
                .as_array()
                .unwrap()
                .len(),
            24
        );

        // Two shards (runs 0-255 and 256-299), merged.
        for k in 1..=2 {
            racerun()
                .arg("explain")
                .arg(&scenario)
                .args(["--runs", "300", "--samples", "3", "--threads", "1", "-q"])
                .args(["--set", "months=60", "--shard", &format!("{k}/2"), "--out"])
                .arg(tmp.path().join(format!("s{k}")))
                .assert()
                .success();
        }
        let merged = tmp.path().join("merged");
        merge(tmp.path(), "s1", "s2", "merged").success();
        for f in FILES {
            assert!(
                std::fs::read(whole.join(f)).unwrap() == std::fs::read(merged.join(f)).unwrap(),
                "{f} differs after merging shards"
            );
        }
        // A shard of another experiment is refused.
        racerun()
            .arg("explain")
            .arg(&scenario)
            .args(["--runs", "300", "--samples", "3", "-q"])
            .args(["--channels", "headwind", "--shard", "2/2", "--out"])
            .arg(tmp.path().join("other"))
            .assert()
            .success();
        merge(tmp.path(), "s1", "other", "bad")
            .code(2)
            .stderr(predicates::str::contains(
                "--channels, --samples or --profile-runs differ",
            ));

        // The factual world is `racerun run`'s, to the byte, but for the cause.
        let run = tmp.path().join("run");
        racerun()
            .arg("run")
            .arg(&scenario)
            .args([
                "--runs",
                "300",
                "--no-plots",
                "-q",
                "--set",
                "months=60",
                "--out",
            ])
            .arg(&run)
            .assert()
            .success();
        let mut explained = summary.clone();
        let sentence = why.split(" Why: ").next().unwrap().to_string();
        explained["verdict"]["sentence"] = sentence.into();
        explained.as_object_mut().unwrap().remove("attribution");
        let mut ran: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap())
                .unwrap();
        // An explanation keeps no bands, so it has no plausibility checks.
        ran.as_object_mut().unwrap().remove("plausibility");
        assert_eq!(explained, ran);

        // `racerun plot` redraws an explanation's charts.
        racerun()
            .args(["plot", "--only", "leapfrogs", "--format", "svg"])
            .arg(&whole)
            .assert()
            .success();
    }

    #[test]
    fn one_run_prints_and_reports_no_zero_width_interval() {
        let tmp = tempfile::tempdir().unwrap();
        let scenario = tmp.path().join("luck.toml");
        std::fs::write(&scenario, super::LUCK).unwrap();
        let dir = tmp.path().join("one");
        let out = racerun()
            .arg("explain")
            .arg(&scenario)
            .args(["--runs", "1", "--threads", "1", "--out"])
            .arg(&dir)
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(stdout.contains("lead changes a year (quality)"), "{stdout}");
        assert!(!stdout.contains("100% to 100%"), "{stdout}");
        assert!(!stdout.contains("(95% CI "), "{stdout}");
        assert!(stdout.contains("no intervals (one run)"), "{stdout}");
        assert!(
            !stdout.contains("bootstrap intervals over runs"),
            "{stdout}"
        );
        let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
        assert!(
            report.contains("1 simulation in each of"),
            "the provenance's count"
        );
        assert!(
            !report.contains("100% to 100%"),
            "a zero-width share interval"
        );
        assert!(report.contains("one run, so no interval"));
        // The chart draws no zero-width whiskers, and its subtitle says why.
        let chart = std::fs::read_to_string(dir.join("charts/attribution.svg")).unwrap();
        assert!(chart.contains("one simulation, so no intervals"), "{chart}");
        assert!(!chart.contains("whiskers"), "{chart}");
    }

    #[test]
    fn a_scenario_that_uses_no_channel_asked_for_says_so_plainly() {
        let tmp = tempfile::tempdir().unwrap();
        let out = racerun()
            .args(["explain", "baseline", "--channels", "self_improvement"])
            .args([
                "--set",
                "world.dynamics.kappa=0",
                "--set",
                "world.dynamics.kappa_abs=0",
            ])
            .args(["--runs", "4", "--threads", "1", "--no-plots", "--out"])
            .arg(tmp.path().join("none"))
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(stdout.contains("4 runs x 1 world |"), "{stdout}");
        assert!(
            stdout.contains("channels used: none; not used: self_improvement"),
            "{stdout}"
        );
        assert!(
            stdout.contains("method: no channel is used, so nothing is attributed"),
            "{stdout}"
        );
        assert!(!stdout.contains("2^0"), "{stdout}");
        let one = racerun()
            .args(["explain", "baseline", "--channels", "luck"])
            .args(["--runs", "4", "--threads", "1", "--no-plots", "--out"])
            .arg(tmp.path().join("one"))
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&one.get_output().stdout).to_string();
        assert!(
            stdout.contains("2^1 = 2 worlds of the 1 channel used"),
            "{stdout}"
        );
        // One channel's share is 100% by construction: the interval printed is its
        // effect's, the one in attribution.csv's ci_low and ci_high.
        assert!(stdout.contains("95% CI of effect"), "{stdout}");
        assert!(!stdout.contains("100% to 100%"), "{stdout}");
        let mut rdr = csv::Reader::from_path(tmp.path().join("one/attribution.csv")).unwrap();
        let h = rdr.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|c| c == n).unwrap();
        let row = rdr
            .records()
            .map(|r| r.unwrap())
            .find(|r| {
                &r[col("measure")] == "changes_per_year_quality" && &r[col("channel")] == "luck"
            })
            .unwrap();
        let (lo, hi): (f64, f64) = (
            row[col("ci_low")].parse().unwrap(),
            row[col("ci_high")].parse().unwrap(),
        );
        // The luck row: channel, effect, no share (100% by construction), then the interval
        // "lo to hi" (2 decimals).
        let line = stdout
            .lines()
            .find(|l| l.starts_with("luck ") && l.contains(" to "))
            .unwrap();
        assert!(!line.contains('%'), "{line}");
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[3], "to", "{line}");
        let (shown_lo, shown_hi): (f64, f64) =
            (cells[2].parse().unwrap(), cells[4].parse().unwrap());
        assert!(
            (shown_lo - lo).abs() <= 0.005 && (shown_hi - hi).abs() <= 0.005,
            "{line} against {lo} to {hi}"
        );
    }

    #[test]
    fn explain_refuses_what_it_cannot_judge_before_any_work() {
        let tmp = tempfile::tempdir().unwrap();
        let solo = tmp.path().join("solo.toml");
        std::fs::write(&solo, "name = \"solo\"\n[[labs]]\nid = \"a\"\n").unwrap();
        let out = tmp.path().join("out");
        racerun()
            .arg("explain")
            .arg(&solo)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("has one lab"));
        racerun()
            .args([
                "explain",
                "baseline",
                "--channels",
                "headwind,lukc",
                "--out",
            ])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "--channels lukc: unknown channel (did you mean `luck`?)",
            ));
        racerun()
            .args(["explain", "baseline", "--channels", "", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "--channels: expected the names of some channels",
            ));
        racerun()
            .args(["explain", "baseline", "--set", "months=20", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "20 months are too short to judge",
            ));
        assert!(!out.exists(), "nothing written");
    }

    #[test]
    fn a_sweep_maps_a_channels_total_effect() {
        let tmp = tempfile::tempdir().unwrap();
        let scenario = tmp.path().join("headwind.toml");
        std::fs::write(&scenario, super::HEADWIND).unwrap();
        let sweep = tmp.path().join("sweep");
        racerun()
            .arg("sweep")
            .arg(&scenario)
            .args(["--vary", "world.market.beta=10:20:2", "--runs", "40", "-q"])
            .args([
                "--effect",
                "headwind",
                "--measure",
                "changes_per_year_quality",
                "--out",
            ])
            .arg(&sweep)
            .assert()
            .success();
        let csv = std::fs::read_to_string(sweep.join("sweep.csv")).unwrap();
        let effect_row = csv
            .lines()
            .find(|l| l.starts_with("1,20,effect.headwind.changes_per_year_quality,"))
            .unwrap_or_else(|| panic!("{csv}"));
        let swept: f64 = effect_row.split(',').nth(3).unwrap().parse().unwrap();
        let summary = std::fs::read_to_string(sweep.join("summary.json")).unwrap();
        assert!(summary.contains("\"effect\": \"headwind\""), "{summary}");
        assert!(summary.contains("not its Shapley share"));
        // The cell at beta = 20 is the scenario itself: its total effect is explain's
        // value for the headwind alone (one channel: its Shapley value is its total effect).
        let out = tmp.path().join("explained");
        racerun()
            .arg("explain")
            .arg(&scenario)
            .args([
                "--runs",
                "40",
                "--channels",
                "headwind",
                "--no-plots",
                "-q",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let attribution = std::fs::read_to_string(out.join("attribution.csv")).unwrap();
        let row = attribution
            .lines()
            .find(|l| l.starts_with("changes_per_year_quality,headwind,used,"))
            .unwrap();
        let explained: f64 = row.split(',').nth(3).unwrap().parse().unwrap();
        assert!(swept > 1.0, "{swept}");
        assert!((swept - explained).abs() < 1e-9, "{swept} vs {explained}");
        // Its 95% interval too: the same bootstrap of the same runs.
        let field =
            |line: &str, i: usize| -> f64 { line.split(',').nth(i).unwrap().parse().unwrap() };
        let (low, high) = (field(effect_row, 7), field(effect_row, 8));
        assert!((low - field(row, 5)).abs() < 1e-9, "{low} vs {row}");
        assert!((high - field(row, 6)).abs() < 1e-9, "{high} vs {row}");
        assert!(
            low < swept && swept < high && low > 0.0,
            "{low} {swept} {high}"
        );
        // Measures that are not effects have no interval.
        let plain = csv
            .lines()
            .find(|l| l.starts_with("1,20,changes_per_year_quality,"))
            .unwrap();
        assert_eq!(plain.split(',').nth(7), Some(""), "{plain}");
        let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
        assert_eq!(summary["effect_clear"]["cells"], 2, "{summary}");
        racerun()
            .arg("sweep")
            .arg(&scenario)
            .args([
                "--vary",
                "world.market.beta=10:20:2",
                "--effect",
                "headwnd",
                "--out",
            ])
            .arg(tmp.path().join("bad"))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("did you mean `headwind`?"));
    }
}

/// The per-run rows of runs `range` of an explanation of `runs` runs whose profile is the
/// mean of runs `0..profile_runs`, as bits (NaN where a measure does not apply).
fn rows_of(
    text: &str,
    runs: u64,
    range: std::ops::Range<u64>,
    profile_runs: u64,
    channels: &[Channel],
) -> Vec<u64> {
    let (_, part) = explain_part(text, runs, range, profile_runs, 0, channels);
    part.rows.iter().map(|x| x.to_bits()).collect()
}

/// [`rows_of`] every run.
fn rows(text: &str, runs: u64, profile_runs: u64, channels: &[Channel]) -> Vec<u64> {
    rows_of(text, runs, 0..runs, profile_runs, channels)
}

#[test]
fn a_runs_attribution_does_not_depend_on_how_many_runs_are_asked() {
    // The worlds that switch the headwind or money off impose the factual runs' mean
    // allocation and spending. Taken from a fixed set of runs, they are the same worlds
    // whatever --runs: the first 12 runs of a 24-run explanation are attributed exactly
    // as in a 12-run one. Taken from the runs asked for (the rule before), they are not.
    let channels = [Channel::Headwind, Channel::Money];
    let short = rows(RACE, 12, 24, &channels);
    let long = rows(RACE, 24, 24, &channels);
    assert_eq!(short.len() * 2, long.len());
    assert_eq!(short, long[..short.len()]);
    let own_runs = rows(RACE, 12, 12, &channels);
    assert_ne!(own_runs, long[..own_runs.len()]);
    // More runs than the profile's: runs 24-35 do not enter it.
    let longer = rows(RACE, 36, 24, &channels);
    assert_eq!(longer[..long.len()], long);
    // A share of the runs (a shard) imposes the same profile.
    let width = short.len() / 12;
    assert_eq!(rows_of(RACE, 24, 12..24, 24, &channels), long[12 * width..]);
}

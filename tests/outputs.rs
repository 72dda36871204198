//! Outputs never touch what racerun did not write: every command that writes refuses, before
//! any work and changing nothing, an `--out` that is a file, a directory of someone else's,
//! the current directory or an ancestor, a directory holding an input, or a result of
//! another kind; an earlier result of the same kind is replaced whole in one atomic
//! exchange; leftovers of killed or interrupted runs are cleaned by the next run.

mod common;

use std::path::{Path, PathBuf};

use common::{baseline, ok, p, refused, snapshot};

/// A project directory of the user's: a scenario, notes and data.
fn user_project(root: &Path) -> PathBuf {
    let proj = root.join("proj");
    std::fs::create_dir_all(proj.join("data")).unwrap();
    std::fs::copy(baseline(), proj.join("my.toml")).unwrap();
    std::fs::write(proj.join("README.txt"), "my notes\n").unwrap();
    std::fs::write(proj.join("data/points.csv"), "a,b\n1,2\n").unwrap();
    proj
}

/// Shard directories of a small run, for `merge`.
fn run_shards(root: &Path) -> Vec<PathBuf> {
    (1..=2)
        .map(|k| {
            let out = root.join(format!("shard{k}"));
            let shard = format!("{k}/2");
            ok(
                root,
                &[
                    "run",
                    "baseline",
                    "--runs",
                    "300",
                    "--shard",
                    &shard,
                    "-q",
                    "--out",
                    p(&out),
                ],
            );
            out
        })
        .collect()
}

/// Every command that writes, pointed at `out`.
fn writers<'a>(out: &'a str, scenario: &'a str, shards: &'a [PathBuf]) -> Vec<Vec<&'a str>> {
    let mut merge = vec!["merge"];
    merge.extend(shards.iter().map(|s| p(s)));
    merge.extend(["--no-plots", "-q", "--out", out]);
    vec![
        vec![
            "run",
            scenario,
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--out",
            out,
        ],
        vec![
            "run", scenario, "--runs", "5", "--shard", "1/1", "-q", "--out", out,
        ],
        vec![
            "sweep",
            scenario,
            "--vary",
            "world.dynamics.kappa=0:1:2",
            "--runs",
            "2",
            "--no-plots",
            "-q",
            "--out",
            out,
        ],
        vec![
            "sensitivity",
            scenario,
            "--params",
            "world.dynamics.kappa=0:1",
            "--measure",
            "persistence_quality",
            "--samples",
            "2",
            "--runs",
            "2",
            "--no-plots",
            "-q",
            "--out",
            out,
        ],
        merge,
    ]
}

#[test]
fn out_onto_user_directory_is_refused_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let shards = run_shards(root);
    let proj = user_project(root);
    let mine = root.join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("thesis.tex"), "\\section{Results}\n").unwrap();
    let before = snapshot(root);
    for args in writers(p(&mine), p(&baseline()), &shards) {
        refused(
            root,
            &args,
            &[
                "--out",
                "mine",
                "racerun did not write",
                "nothing was written",
            ],
        );
        // The project, holding the scenario: refused too, for either reason.
        let mut at_proj = args.clone();
        *at_proj.last_mut().unwrap() = p(&proj);
        refused(root, &at_proj, &["proj", "nothing was written"]);
    }
    assert_eq!(snapshot(root), before, "something changed on disk");
}

#[test]
fn out_onto_regular_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let shards = run_shards(root);
    let notes = root.join("notes.txt");
    std::fs::write(&notes, "do not lose me\n").unwrap();
    let before = snapshot(root);
    for args in writers(p(&notes), "baseline", &shards) {
        refused(
            root,
            &args,
            &["--out", "notes.txt", "is a file, not a directory"],
        );
    }
    let under = notes.join("results");
    for args in writers(p(&under), "baseline", &shards) {
        refused(
            root,
            &args,
            &["notes.txt/results", "would go inside", "a file"],
        );
    }
    assert_eq!(snapshot(root), before, "something changed on disk");
}

#[test]
fn out_is_cwd_or_ancestor_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("a/b");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("keep.txt"), "x").unwrap();
    let before = snapshot(tmp.path());
    for (out, what) in [
        (".", "is the current directory"),
        ("..", "holds the current directory"),
        ("../..", "holds the current directory"),
        ("./", "is the current directory"),
    ] {
        for args in writers(out, "baseline", &[]).into_iter().take(4) {
            refused(&work, &args, &[what]);
        }
    }
    assert_eq!(snapshot(tmp.path()), before, "something changed on disk");
}

#[test]
fn out_going_up_out_of_a_directory_yet_to_be_made_refused() {
    // `new/../thesis` would name `thesis` once racerun made `new`: every command that
    // writes refuses it, `thesis` and the current directory stay as they are.
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(work.join("thesis")).unwrap();
    std::fs::write(work.join("thesis/ch1.txt"), "precious").unwrap();
    let before = snapshot(tmp.path());
    for out in ["new/../thesis", "new/..", "new/../../work"] {
        for args in writers(out, "baseline", &[]).into_iter().take(4) {
            refused(
                &work,
                &args,
                &["goes up (..) out of new, which does not exist"],
            );
        }
    }
    assert_eq!(snapshot(tmp.path()), before, "something changed on disk");
}

#[test]
fn the_default_place_refused_is_not_called_out() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("output"), "a file of mine").unwrap();
    let args = ["run", "baseline", "--runs", "5", "--no-plots"];
    let out = refused(
        tmp.path(),
        &args,
        &["output/baseline: would go inside output"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("give --out DIR to write elsewhere"), "{err}");
    assert!(!err.contains("--out output"), "{err}");
}

#[test]
fn out_holding_the_input_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    user_project(root);
    // An earlier racerun result that holds the scenario file: still refused.
    ok(
        root,
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--out",
            "res",
        ],
    );
    std::fs::copy(baseline(), root.join("res/input.toml")).unwrap();
    std::fs::create_dir(root.join("parts")).unwrap();
    let shards = run_shards(&root.join("parts"));
    let before = snapshot(root);
    refused(
        root,
        &["run", "proj/my.toml", "--runs", "5", "-q", "--out", "proj"],
        &["--out proj", "holds the input proj/my.toml"],
    );
    refused(
        root,
        &["run", "res/input.toml", "--runs", "5", "-q", "--out", "res"],
        &["holds the input res/input.toml"],
    );
    for out in [p(&shards[0]), p(&root.join("parts"))] {
        refused(
            root,
            &["merge", p(&shards[0]), p(&shards[1]), "-q", "--out", out],
            &["holds the input", "shard1"],
        );
    }
    assert_eq!(snapshot(root), before, "something changed on disk");
}

#[test]
fn out_of_another_kind_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    ok(
        root,
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--out",
            "res",
        ],
    );
    let before = snapshot(root);
    let writers = writers("res", "baseline", &[]);
    for args in &writers[1..4] {
        refused(root, args, &["holds the result of `racerun run`, not"]);
    }
    assert_eq!(snapshot(root), before);
}

/// `plot` and `report` on a directory that is not there say so (they said "not a
/// directory"), and on a file that it is not a directory.
#[test]
fn plot_and_report_on_a_missing_directory_say_it_does_not_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("notes.txt"), "x").unwrap();
    for command in ["plot", "report"] {
        refused(
            root,
            &[command, "no-such-result"],
            &["no-such-result: does not exist"],
        );
        refused(
            root,
            &[command, "notes.txt"],
            &["notes.txt: not a directory"],
        );
    }
    assert_eq!(std::fs::read_dir(root).unwrap().count(), 1);
}

#[test]
fn plot_never_renames_a_users_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    ok(
        root,
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--out",
            "res",
        ],
    );
    std::fs::write(root.join("res/charts"), "my charts, a file\n").unwrap();
    let before = snapshot(root);
    refused(
        root,
        &["plot", "res"],
        &["res/charts", "is not a directory of charts"],
    );
    std::fs::remove_file(root.join("res/charts")).unwrap();
    std::fs::create_dir(root.join("res/charts")).unwrap();
    std::fs::write(root.join("res/charts/notes.md"), "mine\n").unwrap();
    let with_notes = snapshot(root);
    refused(
        root,
        &["plot", "res"],
        &["holds files racerun did not draw (notes.md)"],
    );
    assert_eq!(snapshot(root), with_notes);
    // A directory racerun did not write is not plotted into either.
    let proj = user_project(root);
    refused(root, &["plot", p(&proj)], &["not a racerun result"]);
    assert!(!proj.join("charts").exists());
    assert_ne!(before, with_notes);
}

#[test]
fn an_earlier_result_of_the_same_kind_is_replaced_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for (seed, runs) in [("1", "7"), ("2", "9")] {
        ok(
            root,
            &[
                "run",
                "baseline",
                "--runs",
                runs,
                "--seed",
                seed,
                "--no-plots",
                "-q",
                "--out",
                "res",
            ],
        );
    }
    let runs = std::fs::read_to_string(root.join("res/runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 10, "the second run's rows only");
    let names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["res"], "no hidden directory left beside it");
    let manifest = std::fs::read_to_string(root.join("res/manifest.json")).unwrap();
    assert!(manifest.contains("\"kind\": \"run\""), "{manifest}");
    // An empty directory is a fine --out too.
    std::fs::create_dir(root.join("empty")).unwrap();
    ok(
        root,
        &[
            "run",
            "baseline",
            "--runs",
            "3",
            "--no-plots",
            "-q",
            "--out",
            "empty",
        ],
    );
    assert!(root.join("empty/summary.json").is_file());
}

#[cfg(target_os = "linux")]
#[test]
fn replace_is_atomic_exchange() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("res");
    let fill = |n: usize| {
        move |dir: &Path| -> Result<(), racerun::output::OutputError> {
            std::fs::write(dir.join("n.txt"), n.to_string()).unwrap();
            Ok(())
        }
    };
    racerun::output::replace_dir(&out, fill(0), || Ok(())).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let (seen, missing) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let watcher = {
        let (out, done, seen, missing) = (out.clone(), done.clone(), seen.clone(), missing.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                // The result is always there, whole: never missing, never without its file.
                match std::fs::read_to_string(out.join("n.txt")) {
                    Ok(_) => seen.fetch_add(1, Ordering::Relaxed),
                    Err(_) => missing.fetch_add(1, Ordering::Relaxed),
                };
            }
        })
    };
    let mut last = 0;
    for n in 1..=400 {
        racerun::output::replace_dir(&out, fill(n), || Ok(())).unwrap();
        last = n;
        if n % 100 == 0 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    done.store(true, Ordering::SeqCst);
    watcher.join().unwrap();
    assert_eq!(
        missing.load(Ordering::Relaxed),
        0,
        "the result was missing at some moment"
    );
    assert!(
        seen.load(Ordering::Relaxed) > 100,
        "the watcher barely looked"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("n.txt")).unwrap(),
        last.to_string()
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn write_protected_result_is_refused_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    ok(
        root,
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--out",
            "res",
        ],
    );
    std::fs::set_permissions(root.join("res"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(root);
    refused(
        root,
        &[
            "run",
            "baseline",
            "--runs",
            "5",
            "--no-plots",
            "-q",
            "--out",
            "res",
        ],
        &["is write-protected", "chmod -R u+w"],
    );
    assert_eq!(snapshot(root), before);
    std::fs::set_permissions(root.join("res"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn user_files_inside_an_earlier_result_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let run = ["run", "baseline", "--runs", "5", "-q", "--out", "res"];
    ok(root, &run);
    std::fs::write(root.join("res/my-notes.md"), "what I saw\n").unwrap();
    std::fs::write(root.join("res/charts/annotated.pdf"), "%PDF").unwrap();
    let before = snapshot(root);
    refused(
        root,
        &run,
        &[
            "--out res",
            "also holds what racerun did not write there (charts/annotated.pdf, my-notes.md)",
        ],
    );
    assert_eq!(snapshot(root), before);
    std::fs::remove_file(root.join("res/my-notes.md")).unwrap();
    std::fs::remove_file(root.join("res/charts/annotated.pdf")).unwrap();
    ok(root, &run);
}

#[test]
fn an_out_inside_an_earlier_result_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let shards = run_shards(root);
    ok(
        root,
        &["run", "baseline", "--runs", "5", "-q", "--out", "res"],
    );
    let before = snapshot(root);
    for out in ["res/again", "res/charts/more"] {
        for args in writers(out, "baseline", &shards) {
            refused(
                root,
                &args,
                &[
                    &format!("--out {out}"),
                    "would go inside",
                    "the result of `racerun run`",
                    "choose an --out outside it",
                ],
            );
        }
    }
    // From inside the result, a relative --out is inside it too.
    let inside = root.join("res");
    refused(
        &inside,
        &["run", "baseline", "--runs", "5", "-q", "--out", "sub"],
        &["would go inside", "the result of `racerun run`"],
    );
    assert_eq!(snapshot(root), before, "something changed on disk");
    // The result itself is still replaced whole by its next run.
    ok(
        root,
        &["run", "baseline", "--runs", "5", "-q", "--out", "res"],
    );
}

/// An `--out` racerun cannot create (here under `/proc`, where no one can make a
/// directory, root included) is refused before any work by every command that writes,
/// `explain` and `sensitivity` too, which compute everything before they write.
#[cfg(target_os = "linux")]
#[test]
fn an_out_that_cannot_be_created_is_refused_before_any_work() {
    if !Path::new("/proc/self").is_dir() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let shards = run_shards(root);
    let before = snapshot(root);
    let out = "/proc/racerun-no-such-dir/res";
    let mut commands = writers(out, "baseline", &shards);
    commands.push(vec!["explain", "baseline", "-q", "--out", out]);
    for args in commands {
        let t0 = std::time::Instant::now();
        refused(
            root,
            &args,
            &[
                "--out /proc/racerun-no-such-dir/res",
                "cannot make a directory in /proc",
                "nothing was written",
            ],
        );
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(5),
            "{args:?} took {:?}",
            t0.elapsed()
        );
    }
    assert_eq!(snapshot(root), before, "something changed on disk");
}

//! Records where a build came from, for the provenance in every `manifest.json`: the git
//! commit when built from a checkout (`-dirty` when the sources differ from it; nothing
//! when built from a crate download, or when git is missing) and the compiler's version. No network; only local `git` and `rustc`.

use std::path::Path;
use std::process::Command;

fn run(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn main() {
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    if let Some(version) = run(&rustc, &["--version"]) {
        println!("cargo:rustc-env=RACERUN_RUSTC_VERSION={version}");
    }
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let in_checkout = Path::new(&manifest_dir).join(".git").exists();
    if !in_checkout {
        return;
    }
    if let Some(commit) = run("git", &["-C", &manifest_dir, "rev-parse", "HEAD"]) {
        // Built with changes not committed: say so, the commit alone would not rebuild it.
        let dirty = run(
            "git",
            &[
                "-C",
                &manifest_dir,
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                "src",
                "build.rs",
                "Cargo.toml",
                "Cargo.lock",
                "assets",
                "scenarios",
            ],
        )
        .is_some();
        let suffix = if dirty { "-dirty" } else { "" };
        println!("cargo:rustc-env=RACERUN_GIT_COMMIT={commit}{suffix}");
        for path in [
            "src",
            "build.rs",
            "Cargo.toml",
            "Cargo.lock",
            "assets",
            "scenarios",
        ] {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    // Rebuild when HEAD moves: the HEAD file (a branch switch) and the ref it names (a
    // commit on the branch), wherever this checkout keeps them (worktrees too).
    // Only paths that exist: cargo reruns a script watching a missing one on every build.
    let mut watch = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watch.extend(run(
        "git",
        &["-C", &manifest_dir, "symbolic-ref", "-q", "HEAD"],
    ));
    for name in watch {
        if let Some(path) = run(
            "git",
            &["-C", &manifest_dir, "rev-parse", "--git-path", &name],
        ) {
            let path = Path::new(&manifest_dir).join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

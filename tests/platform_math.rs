//! racerun computes the same bits on every machine only if its code never calls the
//! platform's math library (`src/math`): this reads every source file and refuses a call
//! of `f64::exp`, `ln`, `powf` and the like outside tests.

use std::path::Path;

/// The methods of `f64` that call the platform's math library.
const PLATFORM: [&str; 20] = [
    "exp", "exp2", "exp_m1", "ln", "ln_1p", "log", "log2", "log10", "powf", "cbrt", "hypot", "sin",
    "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "tanh",
];

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Calls `.name(` and uses `f64::name` in the code before a file's tests, outside
/// comments, as `file:line: text`.
fn platform_calls(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        for name in PLATFORM {
            let qualified = format!("f64::{name}");
            let as_path = code.match_indices(&qualified).any(|(at, _)| {
                // `f64::exp` but not `f64::exponent`.
                let after = &code[at + qualified.len()..];
                !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            if code.contains(&format!(".{name}(")) || as_path {
                found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_source_calls_the_platform_math_library() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 100, "{} source files", files.len());
    let calls: Vec<String> = files
        .iter()
        // `src/math` is where the deterministic functions live; `tests.rs` files are
        // tests whole.
        .filter(|f| !f.starts_with(src.join("math")) && !f.ends_with("tests.rs"))
        .flat_map(|f| platform_calls(f))
        .collect();
    assert!(
        calls.is_empty(),
        "call racerun::math instead, whose bits are the same on every machine:\n{}",
        calls.join("\n")
    );
}

#[test]
fn the_check_sees_a_platform_call() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.rs");
    std::fs::write(
        &file,
        "fn f(x: f64) -> f64 {\n    // x.exp() in a comment\n    (x * 2.0).exp()\n}\n\
         fn g(x: &[f64]) -> Vec<f64> { x.iter().copied().map(f64::ln).collect() }\n\
         fn h(x: f64) -> f64 { f64::exponent_free(x) }\n\
         #[cfg(test)]\nmod tests { fn g() { 1f64.ln(); } }\n",
    )
    .unwrap();
    let calls = platform_calls(&file);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].ends_with(":3: (x * 2.0).exp()"), "{calls:?}");
    assert!(calls[1].contains(":5: fn g("), "{calls:?}");
}

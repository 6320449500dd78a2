//! The README's worked examples run as written (offline, from a scratch
//! folder that sees the repository's examples and datasets), its links
//! lead somewhere, and it stays short.

mod common;
use common::*;

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The commands of the README's ```sh blocks, in order.
fn commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        match (inside, line.trim()) {
            (false, "```sh") => inside = true,
            (true, "```") => inside = false,
            (true, cmd) if !cmd.is_empty() => out.push(cmd.to_string()),
            _ => {}
        }
    }
    out
}

#[test]
fn the_readme_commands_run_as_written() {
    let cmds = commands(&readme());
    assert!(cmds.len() >= 7, "{cmds:?}");
    assert!(cmds.iter().all(|c| c.starts_with("stance ")), "{cmds:?}");
    let d = tempfile::tempdir().unwrap();
    for shared in ["examples", "datasets"] {
        std::os::unix::fs::symlink(root().join(shared), d.path().join(shared)).unwrap();
    }
    let bin_dir = std::path::Path::new(bin()).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    for c in &cmds {
        let out = std::process::Command::new("sh").arg("-c").arg(c).current_dir(d.path()).env("PATH", &path).env_remove("STANCE_MODEL").output().unwrap();
        assert!(out.status.success(), "{c}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // What the examples promise is there.
    let report = std::fs::read_to_string(d.path().join("report.html")).unwrap();
    assert!(report.contains("class=\"bar\"") && report.contains("outlet = Daily Post"));
    assert!(std::fs::read_to_string(d.path().join("actors.csv")).unwrap().starts_with("model,"));
    assert!(d.path().join("my-model/bundle.json").is_file());
}

#[test]
fn the_readme_is_short_and_its_links_lead_somewhere() {
    let text = readme();
    assert!(text.len() <= 8 * 1024, "README is {} bytes", text.len());
    let mut links = 0;
    for part in text.split("](").skip(1) {
        let target = part.split(')').next().unwrap();
        if !target.starts_with("http") {
            assert!(root().join(target).exists(), "README links to missing {target}");
            links += 1;
        }
    }
    assert!(links >= 7, "{links}");
    for page in std::fs::read_dir(root().join("docs")).unwrap() {
        let p = page.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(&p).unwrap();
            for part in text.split("](").skip(1) {
                let target = part.split(')').next().unwrap();
                if !target.starts_with("http") && !target.starts_with('#') {
                    assert!(p.parent().unwrap().join(target).exists(), "{} links to missing {target}", p.display());
                }
            }
        }
    }
}

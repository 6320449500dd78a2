//! The command line, defined in one place. Each subcommand parses into a
//! struct, calls the library, and returns errors up to [`run`], the one
//! place that prints them.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::ProgressBar;

use crate::corpus::{Format, ReadOptions};
use crate::error::{Error, Result};
use crate::features::encoder::EncoderParams;
use crate::features::{FeatureParams, Family, FAMILIES};
use crate::framing::period::Period;
use crate::predictions;
use crate::report;
use crate::solver::{ClassWeight, SolverKind, SolverSettings};
use crate::input::InputFormat;
use crate::output::OutputFormat;
use crate::predict::{self, Job, Predictor};
use crate::train::{self, Progress, Selection, TrainParams};

#[derive(Parser, Debug)]
#[command(
    name = "stance",
    version,
    about = "How does each sentence of a news article frame each actor it mentions?",
    after_help = "Environment:\n  STANCE_MODEL  the model (bundle folder or installed name) used when --model is not given (default: the built-in newsmtsc)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Train a model bundle on a labelled corpus.
    Train(TrainArgs),
    /// Measure a model on a labelled corpus.
    Eval(EvalArgs),
    /// Score articles: every sentence's framing of every actor it mentions.
    Predict(PredictArgs),
    /// List the models found (and the default), or install one.
    Models(ModelsArgs),
    /// Sum up `predict` JSON Lines: one row per (group, actor).
    Summarize(SummarizeArgs),
    /// Draw `predict`'s JSON Lines as one self-contained HTML page: actors by
    /// mean score with 95% intervals, by group, over time, with the
    /// sentences behind each bar.
    Report(ReportArgs),
    /// Print a shell completion script (e.g. `stance completions bash > /etc/bash_completion.d/stance`).
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; e.g. `stance man > stance.1 && man ./stance.1`).
    Man,
}

#[derive(Args, Debug)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub action: Option<ModelsAction>,
}

#[derive(Subcommand, Debug)]
pub enum ModelsAction {
    /// Copy a model bundle into ${XDG_DATA_HOME:-~/.local/share}/stance/models,
    /// where --model NAME finds it (never replacing anything there).
    Install {
        /// The bundle folder.
        dir: PathBuf,
        /// The name to install it under (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct SummarizeArgs {
    /// Row fields to group by (e.g. outlet, or outlet,date; fields of the
    /// input reach predict's rows with --keep).
    #[arg(long, value_name = "FIELD,...", value_delimiter = ',')]
    pub group_by: Vec<String>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Leave out actors with fewer mentions in their group.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_mentions: usize,
    /// Resampled corpora for the 95% interval of each mean score (articles
    /// are drawn with replacement).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(10..=100_000))]
    pub resamples: u32,
    /// Seed of the resampling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Longest line accepted, in bytes.
    #[arg(long, default_value_t = crate::corpus::lines::DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,
    /// `stance predict` JSON Lines (default: standard input; `-` also reads it).
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct PredictArgs {
    /// Model: a bundle folder or an installed model's name (default:
    /// $STANCE_MODEL, else the built-in newsmtsc; see `stance models`).
    #[arg(long, value_name = "DIR|NAME")]
    pub model: Option<PathBuf>,
    /// CSV of actors and aliases (`actor,alias[,kind]`), found besides the
    /// actors found automatically (its aliases win where they overlap) and
    /// the topics of a model trained with topics (e.g. on TweetEval).
    #[arg(long)]
    pub actors: Option<PathBuf>,
    /// With --actors: score only the listed actors (no automatic finding,
    /// no topics).
    #[arg(long, requires = "actors")]
    pub only_listed: bool,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Input format: each FILE one text article, JSON Lines articles, or CSV
    /// with a `text` (and optional `id`) column.
    #[arg(long, value_enum, default_value_t = InputFormat::Text)]
    pub input: InputFormat,
    /// Show the features that moved each score most (CSV: an `explain`
    /// column, one `feature=weight` pair a line).
    #[arg(long)]
    pub explain: bool,
    /// How many features --explain shows per mention.
    #[arg(long, default_value_t = 5)]
    pub explain_top: usize,
    /// Worker threads (default: all cores). Output is the same for any number.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write the rows to FILE (complete, or not at all) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --input jsonl or csv: copy these input fields (e.g.
    /// outlet,date) into every output row.
    #[arg(long, value_name = "FIELD,...", value_delimiter = ',')]
    pub keep: Vec<String>,
    /// Table: each sentence on one line, however long, instead of wrapped.
    #[arg(long)]
    pub wide: bool,
    /// Write the per-article actor summaries to FILE (CSV, or JSON Lines
    /// when FILE ends in .jsonl) instead of the main output.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Instead of scoring, write each article's actors as found, before
    /// they are grouped across the input: a JSON line each (doc, name,
    /// kind, fixed). Over a whole corpus, in order, they make the FILE of
    /// --groups.
    #[arg(long, conflicts_with_all = ["format", "explain", "summary", "keep", "wide", "groups"])]
    pub actor_names: bool,
    /// Group actors as FILE says instead of across this input: the
    /// --actor-names lines of a whole corpus, in corpus order (each name
    /// counts where it first appears). Parts of a corpus scored with the
    /// same FILE give the rows of one run over all of it.
    #[arg(long, value_name = "FILE")]
    pub groups: Option<PathBuf>,
    /// No progress bar (errors and warnings still go to standard error).
    #[arg(long, short)]
    pub quiet: bool,
    /// Articles: files, or folders whose .txt files (.jsonl, .csv with
    /// --input) are read in sorted order (default: standard input; `-` also
    /// reads it).
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub read: InputArgs,
}

#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Longest line (or article) accepted, in bytes.
    #[arg(long, default_value_t = crate::corpus::lines::DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Field delimiter of every CSV file read (`\t` or `tab` for a tab).
    #[arg(long, default_value = ",")]
    pub delimiter: String,
}

impl InputArgs {
    fn options(&self) -> Result<ReadOptions> {
        let delimiter = crate::corpus::parse_delimiter(&self.delimiter)?;
        Ok(ReadOptions { max_line_bytes: self.max_line_bytes, lossy: self.lossy, delimiter })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    Auto,
    On,
    Off,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Format of the --train and --dev files.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Training files.
    #[arg(long, num_args = 1.., required = true)]
    pub train: Vec<PathBuf>,
    /// Development files: scores are printed, and --l2 values chosen on them.
    #[arg(long, num_args = 1..)]
    pub dev: Vec<PathBuf>,
    /// Bundle directory to write (replaced atomically if it exists).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of the feature hash; training is otherwise deterministic.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// L2 strength(s), comma-separated; several are chosen between on --dev
    /// [default: 1; for tweeteval 0.03,0.1,0.3,1,3].
    #[arg(long, value_delimiter = ',')]
    pub l2: Vec<f64>,
    /// Class weights: balanced (each label counts as much in total as
    /// every other) or none (each example counts once).
    #[arg(long, value_enum, default_value_t = ClassWeight::Balanced, hide_possible_values = true)]
    pub class_weight: ClassWeight,
    /// Optimiser: sparse (stance's own, fast) or linfa (linfa-logistic's,
    /// slower; a cross-check).
    #[arg(long, value_enum, default_value_t = SolverKind::Sparse, hide_possible_values = true)]
    pub solver: SolverKind,
    /// Most optimiser iterations per fit.
    #[arg(long, default_value_t = 300)]
    pub max_iter: u64,

    /// Stop when the objective improves by less than this per row.
    #[arg(long, default_value_t = 1e-7)]
    pub tol: f64,
    /// Keep features seen in at least this many training targets
    /// [default: 2; for tweeteval 1].
    #[arg(long)]
    pub min_count: Option<u32>,
    /// After choosing --l2 on --dev, fit the final model on train + dev.
    #[arg(long)]
    pub refit: bool,
    /// Choose --l2 by K-fold cross-validation over train + dev (folds
    /// stratified by label and target), then fit on train + dev.
    #[arg(long, value_name = "K", conflicts_with = "refit")]
    pub cv: Option<usize>,
    /// With --cv: write every example's held-out prediction (by the model
    /// of the fold that did not see it, at the chosen l2) as CSV: file,
    /// line, target, label, fold, predicted, one probability per label,
    /// text. For error analysis, and for comparing other tools on the same
    /// folds.
    #[arg(long, value_name = "FILE", requires = "cv")]
    pub predictions: Option<PathBuf>,
    /// Switch a feature family off (repeatable), e.g. for ablations:
    /// ngrams (words and word pairs), context (words near the target),
    /// chars (character n-grams), mention (the target's own words), clause
    /// (words of the target's clause), lexicon (sentiment words near the
    /// target) or any other family listed in the error for a wrong name.
    #[arg(long = "no-feature", value_enum, value_name = "FAMILY", hide_possible_values = true)]
    pub no_feature: Vec<Family>,

    /// Keep the target's own words instead of a <T> placeholder.
    #[arg(long)]
    pub no_mask: bool,
    /// Show other targets of the same text to context and clause features
    /// as <O> (off by default: it did not help on NewsMTSC dev).
    #[arg(long)]
    pub mark_others: bool,
    /// Binary features instead of IDF-weighted ones.
    #[arg(long)]
    pub no_idf: bool,
    /// Conjoin features with the target name (auto: on for tweeteval).
    #[arg(long, value_enum, default_value_t = Switch::Auto)]
    pub conjoin_target: Switch,
    /// Words on each side of the target that context features see.
    #[arg(long, default_value_t = 6)]
    pub context_window: usize,
    /// Longest word n-gram: 2 (bigrams) or 3 (trigrams).
    #[arg(long, default_value_t = 2)]
    pub word_ngrams: usize,
    /// Add the dense features of a frozen pretrained encoder (more accurate,
    /// far slower): all-minilm-l6-v2 (ships with stance) or
    /// all-mpnet-base-v2 (fetch it first: scripts/fetch-encoder.sh
    /// all-mpnet-base-v2). Without it, the model is sparse and fast.
    #[arg(long, value_name = "NAME", value_parser = ["all-minilm-l6-v2", "all-mpnet-base-v2"])]
    pub encoder: Option<String>,
    /// With --encoder: the layers (first-last, from 1) averaged over the
    /// target's word pieces (default: 3-6 for MiniLM, 6-12 for mpnet).
    #[arg(long, value_name = "FIRST-LAST", requires = "encoder", value_parser = parse_layers)]
    pub encoder_layers: Option<[usize; 2]>,
    /// With --encoder: the weight of the encoder block against the sparse
    /// families; several (comma-separated) are chosen between on --dev
    /// [default: 4, best on NewsMTSC dev-mt for both encoders (grid 0.5-16);
    /// for tweeteval 0.5, best on val].
    #[arg(long, value_delimiter = ',', requires = "encoder")]
    pub encoder_scale: Vec<f32>,
    /// No progress bar. Warnings about the training data (too few
    /// examples of a label, targets trained as topics) are still printed,
    /// on standard error: they say when a model may mislead.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Model: a bundle folder or an installed model's name (default:
    /// $STANCE_MODEL, else the built-in newsmtsc; see `stance models`).
    #[arg(long, value_name = "DIR|NAME")]
    pub model: Option<PathBuf>,
    /// Format of the --data files.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Labelled files to score and measure against.
    #[arg(long, num_args = 1.., required = true)]
    pub data: Vec<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also give 95% percentile bootstrap intervals from N resampled test
    /// sets (e.g. 1000): how far the figures could move on another sample.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(10..=100_000))]
    pub bootstrap: Option<u32>,
    /// Seed of the bootstrap resampling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also score the data with this second model and give the paired
    /// bootstrap interval of each figure's difference (model - compare),
    /// with --bootstrap resamples (default 1000).
    #[arg(long, value_name = "DIR")]
    pub compare: Option<PathBuf>,
    /// Also write one CSV row per scored target (file, line, target, label,
    /// predicted, one probability per label, text).
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// No progress bar (errors and warnings still go to standard error).
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// JSON Lines written by `stance predict` (default: standard input; `-` also reads it).
    pub files: Vec<PathBuf>,
    /// The HTML file to write (default: report.html, which is only
    /// replaced when an earlier report wrote it).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also draw the actors once per value of this field of the rows (e.g.
    /// an outlet field carried over from the input articles).
    #[arg(long, value_name = "FIELD")]
    pub group_by: Option<String>,
    /// Also draw each top actor's mean score over time, by the date
    /// (YYYY-MM-DD, optionally followed by a time) in this field.
    #[arg(long, value_name = "FIELD")]
    pub by_date: Option<String>,
    /// With --by-date: one point per day, week or month.
    #[arg(long, value_enum, default_value_t = Period::Month, requires = "by_date")]
    pub period: Period,
    /// How many actors to show: the most mentioned.
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub top: u32,
    /// Also write each chart as a standalone SVG file into DIR.
    #[arg(long, value_name = "DIR")]
    pub svg_dir: Option<PathBuf>,
    /// Seed of the bootstrap intervals.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Parse arguments, run, print any error once; returns the exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(a) => cmd_train(a),
        Command::Eval(a) => cmd_eval(a),
        Command::Predict(a) => cmd_predict(a),
        Command::Models(a) => cmd_models(a),
        Command::Summarize(a) => cmd_summarize(a),
        Command::Report(a) => cmd_report(a),
        Command::Completions { shell } => completions(shell),
        Command::Man => man_page(),
    };
    match result {
        Ok(()) => 0,
        // A reader that stopped early (`stance predict ... | head`) is not an error.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = std::io::stdout().flush();
            crate::stdio::eprint_line(&format!("stance: error: {e}"));
            1
        }
    }
}

/// `--encoder-layers FIRST-LAST`.
fn parse_layers(s: &str) -> std::result::Result<[usize; 2], String> {
    let bad = || format!("{s:?}: expected FIRST-LAST, e.g. 6-12");
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let (a, b): (usize, usize) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a == 0 || a > b {
        return Err(format!("{s:?}: layers count from 1 and FIRST must not exceed LAST"));
    }
    Ok([a, b])
}

/// Training's progress: the bar, whether to time each stage
/// (`$STANCE_TIMING`), and when training started.
struct Bar(ProgressBar, bool, std::time::Instant);

impl Progress for Bar {
    fn stage(&self, what: &str) {
        if self.1 {
            self.0.suspend(|| crate::stdio::eprint_line(&format!("[{:7.3}s] {what}", self.2.elapsed().as_secs_f64())));
        }
        self.0.set_message(what.to_string());
    }
    fn solver_step(&self, _evals: u64) {}
    fn fits(&self, total: u64) {
        self.0.set_length(total);
    }
    fn fit_done(&self) {
        self.0.inc(1);
    }
    /// Printed even with `--quiet`, which silences progress only.
    fn warn(&self, what: &str) {
        crate::progress::warn(&self.0, what);
    }
}

fn cmd_train(a: TrainArgs) -> Result<()> {
    let defaults = a.format.training_defaults();
    let conjoin = match a.conjoin_target {
        Switch::Auto => a.format.default_conjoin_target(),
        Switch::On => true,
        Switch::Off => false,
    };
    let encoder_scales = if a.encoder_scale.is_empty() { vec![defaults.encoder_scale] } else { a.encoder_scale.clone() };
    let features = FeatureParams {
        families: FAMILIES.iter().copied().filter(|f| !a.no_feature.contains(f)).collect(),
        mask_target: !a.no_mask,
        mark_others: a.mark_others,
        context_window: a.context_window,
        word_ngrams: a.word_ngrams,
        idf: !a.no_idf,
        conjoin_target: conjoin,
        seed: a.seed,
        encoder: a.encoder.as_ref().map(|name| EncoderParams {
            name: name.clone(),
            sha256: String::new(),
            layers: a.encoder_layers.unwrap_or_else(|| EncoderParams::default_layers(name)),
            scale: encoder_scales[0],
        }),
        ..FeatureParams::default()
    };
    let solver = SolverSettings { solver: a.solver, class_weight: a.class_weight, max_iter: a.max_iter, tol: a.tol };
    let selection = match (a.cv, a.refit) {
        (Some(k), _) => Selection::CrossValidate(k),
        (None, true) => Selection::Refit,
        (None, false) => Selection::Dev,
    };
    let params = TrainParams {
        format: a.format,
        features,
        solver,
        l2: match (a.l2.is_empty(), a.dev.is_empty() && a.cv.is_none()) {
            (false, _) => a.l2.clone(),
            (true, false) => defaults.l2.to_vec(),
            (true, true) => vec![defaults.l2_alone],
        },
        min_count: a.min_count.unwrap_or(defaults.min_count),
        selection,
        read: a.input.options()?,
        encoder_scales,
    };
    // A bad --out fails now, not after the fit.
    crate::bundle::check_out(&a.out)?;
    let bar = crate::progress::bar(a.quiet, Some(1), "fits");
    let timing = std::env::var_os("STANCE_TIMING").is_some();
    if let Some(p) = &a.predictions {
        predictions::check_path(p, a.format, &[&a.train, &a.dev], &[&a.out])?;
    }
    let trained = train::train(&a.train, &a.dev, &params, &Bar(bar.clone(), timing, std::time::Instant::now()));
    bar.finish_and_clear();
    let trained = trained?;
    if let (Some(path), Some(held)) = (&a.predictions, &trained.held_out) {
        predictions::write_held_out(path, &trained.model.labels, held)?;
    }
    trained.save(&a.out)?;
    print(&report::train_summary(&trained, &a.out))
}

fn cmd_eval(a: EvalArgs) -> Result<()> {
    crate::stdio::require_stdout()?;
    let read = a.input.options()?;
    let bundle = crate::catalog::load(a.model.as_deref())?;
    let other = a.compare.as_deref().map(|m| crate::catalog::load(Some(m))).transpose()?;
    // Lines of the data files, counted first where they are files (a pipe
    // cannot be read twice): the bar's total.
    let lines: Option<Vec<u64>> = if a.quiet { None } else { a.data.iter().map(|f| count_lines(f)).collect() };
    let bar = crate::progress::bar(a.quiet, lines.as_ref().map(|l| l.iter().sum()), "lines");
    bar.set_message("scoring");
    let before: Vec<u64> = lines.iter().flat_map(|l| l.iter().scan(0, |n, x| { let at = *n; *n += x; Some(at) })).collect();
    let tell = |at: &crate::error::Location| {
        let i = a.data.iter().position(|f| f == &at.file).unwrap_or(0);
        match lines {
            Some(_) => bar.set_position(before.get(i).copied().unwrap_or(0) + at.line.unwrap_or(0) as u64),
            None => bar.inc(1),
        }
    };
    let plan = report::EvalPlan {
        format: a.format,
        files: &a.data,
        read,
        predictions: a.predictions.as_deref(),
        bootstrap: a.bootstrap,
        seed: a.seed,
        progress: Some(&tell),
    };
    let r = report::eval(&bundle, other.as_ref(), &plan);
    bar.finish_and_clear();
    let r = r?;
    print(&if a.json { r.to_json() } else { r.to_text() })
}

thread_local! {
    /// Set by [`run_captured`]: what a command prints goes here, not to stdout.
    static CAPTURE: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

/// Run `stance ARGS...` (`train`, `eval` or `models`) in this process and
/// return what it prints: the Python package's `train` and `evaluate`,
/// which mirror the command line by building its arguments. A usage error
/// is one line, as every other error.
pub fn run_captured(args: &[String]) -> Result<String> {
    let cli = Cli::try_parse_from(std::iter::once("stance".to_string()).chain(args.iter().cloned())).map_err(|e| {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or_default();
        Error::Params(first.strip_prefix("error: ").unwrap_or(first).to_string())
    })?;
    CAPTURE.with_borrow_mut(|c| *c = Some(Vec::new()));
    let result = match cli.command {
        Command::Train(a) => cmd_train(a),
        Command::Eval(a) => cmd_eval(a),
        Command::Models(a) => cmd_models(a),
        // These write rows of their own; the package has Model.predict.
        Command::Predict(_) | Command::Summarize(_) | Command::Report(_) | Command::Completions { .. } | Command::Man => Err(Error::Params("only train, eval and models run in process".into())),
    };
    let out = CAPTURE.with_borrow_mut(|c| c.take()).unwrap_or_default();
    result.map(|()| String::from_utf8_lossy(&out).into_owned())
}

/// Newlines in `path`, when it is a regular file (not standard input or a pipe).
fn count_lines(path: &std::path::Path) -> Option<u64> {
    use std::io::Read;
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut f = std::fs::File::open(path).ok()?;
    let (mut buf, mut n) = (vec![0u8; 1 << 16], 0u64);
    loop {
        match f.read(&mut buf).ok()? {
            0 => return Some(n.max(1)),
            k => n += buf[..k].iter().filter(|&&b| b == b'\n').count() as u64,
        }
    }
}

fn cmd_report(a: ReportArgs) -> Result<()> {
    let rows = crate::framing::rows::read(&a.files, a.group_by.as_deref(), a.by_date.as_deref())?;
    let params = crate::framing::ReportParams {
        top: a.top as usize,
        top_groups: 12,
        top_lines: 6,
        group_by: a.group_by.clone(),
        by_date: a.by_date.clone(),
        period: a.period,
        seed: a.seed,
        sentences: 10,
    };
    let report = crate::framing::build(&rows, &params)?;
    let out = a.out.clone().unwrap_or_else(|| PathBuf::from("report.html"));
    crate::framing::write(&report, &out, a.out.is_some(), a.svg_dir.as_deref(), &a.files)?;
    print(&format!("wrote {} ({} actors, {} mentions)\n", out.display(), report.actors.len(), rows.len()))
}

fn completions(shell: clap_complete::Shell) -> Result<()> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "stance", &mut out);
    print(&String::from_utf8_lossy(&out))
}

fn man_page() -> Result<()> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out).map_err(|e| Error::io("<stdout>".as_ref(), "write", e))?;
    for sub in Cli::command().get_subcommands().filter(|c| c.get_name() != "help") {
        // A man page is titled by its command's name; clap keeps names static.
        let name: &'static str = Box::leak(format!("stance-{}", sub.get_name()).into_boxed_str());
        clap_mangen::Man::new(sub.clone().name(name)).render(&mut out).map_err(|e| Error::io("<stdout>".as_ref(), "write", e))?;
    }
    print(&String::from_utf8_lossy(&out))
}

fn print(s: &str) -> Result<()> {
    if CAPTURE.with_borrow_mut(|c| c.as_mut().map(|buf| buf.extend_from_slice(s.as_bytes()))).is_some() {
        return Ok(());
    }
    std::io::stdout().write_all(s.as_bytes()).map_err(|e| Error::io("<stdout>".as_ref(), "write", e))
}

fn cmd_models(a: ModelsArgs) -> Result<()> {
    match a.action {
        None => print(&crate::catalog::render_list(&crate::catalog::list())),
        Some(ModelsAction::Install { dir, name }) => {
            let dest = crate::catalog::install(&dir, name.as_deref())?;
            print(&format!("installed {} at {}\n", dir.display(), dest.display()))
        }
    }
}

fn cmd_predict(a: PredictArgs) -> Result<()> {
    use std::io::IsTerminal;

    if a.output.is_none() {
        crate::stdio::require_stdout()?;
    }
    let read = a.read.options()?;
    let explain = crate::predict::explain_count(a.explain, a.explain_top)?;
    crate::predict::check_keep(&a.keep, a.input)?;
    let bundle = crate::catalog::load(a.model.as_deref())?;
    // A model trained on topics alone finds no actors automatically, but
    // still the listed ones.
    let only_listed = a.only_listed || (a.actors.is_some() && bundle.meta.topics.only);
    let finder = crate::actors::finder(a.actors.as_deref(), only_listed, read)?;
    let predictor = Predictor::new(&bundle, finder.as_ref(), explain);
    let predictor = match (&a.actors, a.only_listed) {
        (None, _) => predictor,
        (Some(_), false) => predictor.with_listed(),
        (Some(_), true) => predictor.listed_only(),
    };
    let files: Vec<PathBuf> = if a.files.is_empty() { vec![PathBuf::from("-")] } else { crate::input::expand_folders(&a.files, a.input)? };
    let task = match (&a.groups, a.actor_names) {
        (_, true) => predict::Task::ActorNames,
        (Some(g), false) => predict::Task::ScoreGrouped(std::sync::Arc::new(predict::read_groups(g)?)),
        (None, false) => predict::Task::Score,
    };
    let also_read: Vec<PathBuf> = a.actors.iter().chain(&a.groups).cloned().collect();
    let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
    let mut job = Job {
        files: &files,
        input: a.input,
        read,
        format: a.format.unwrap_or(if to_terminal { OutputFormat::Table } else { OutputFormat::Jsonl }),
        threads: a.threads,
        keep: &a.keep,
        wide: a.wide,
        summary: a.summary.as_deref(),
        progress: None,
        task,
        also_read: &also_read,
    };
    // Bytes of the named files, once per pass over them: the bar's total
    // (none for standard input).
    let sizes: Option<u64> = files.iter().map(|f| std::fs::metadata(f).ok().filter(|m| m.is_file()).map(|m| m.len())).sum();
    let bar = match sizes {
        Some(total) => crate::progress::bytes_bar(a.quiet, total * job.passes()),
        None => crate::progress::bar(a.quiet, None, "articles"),
    };
    bar.set_message("scoring");
    let tell = |bytes: usize| match sizes {
        Some(_) => bar.inc(bytes as u64),
        None => bar.inc(1),
    };
    job.progress = Some(&tell);
    let r = match &a.output {
        Some(out) => predict::run_to_file(&predictor, &job, out, &bundle.path),
        None => predict::run(&predictor, &job, std::io::stdout(), "<stdout>".as_ref()),
    };
    bar.finish_and_clear();
    r
}

fn cmd_summarize(a: SummarizeArgs) -> Result<()> {
    use std::io::IsTerminal;

    crate::stdio::require_stdout()?;
    crate::summarize::check_group_by(&a.group_by)?;
    let files: Vec<PathBuf> = if a.files.is_empty() { vec![PathBuf::from("-")] } else { a.files.clone() };
    let plan = crate::summarize::Plan {
        files: &files,
        group_by: &a.group_by,
        min_mentions: a.min_mentions,
        resamples: a.resamples as usize,
        seed: a.seed,
        max_line_bytes: a.max_line_bytes,
    };
    let summary = crate::summarize::summarize(&plan)?;
    let format = a.format.unwrap_or(if std::io::stdout().is_terminal() { OutputFormat::Table } else { OutputFormat::Jsonl });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    summary.write(format, &mut out).and_then(|()| out.flush()).map_err(|e| Error::io("<stdout>".as_ref(), "write", e))
}

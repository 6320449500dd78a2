//! `stance`: how each sentence of a news article frames each actor it
//! mentions (negative / neutral / positive).
//!
//! The front door is [`Model`]:
//!
//! ```
//! use stance::text::Span;
//!
//! let model = stance::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/models/newsmtsc"))?;
//! let text = "Mayor Ines Kowalski praised the workers, while Piet Vos attacked the plan.";
//! // The target: "Ines Kowalski", characters 6..19.
//! let p = model.score(text, &[Span::new(6, 19)])?;
//! assert_eq!(p.labels, ["negative", "neutral", "positive"]);
//! assert!((p.probs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
//! println!("{} ({:+.2})", p.label(), p.score().unwrap());
//!
//! // A whole article: sentences, actors and one score per mention.
//! let article = model.predict("Piet Vos attacked the plan. Vos later praised the mayor.")?;
//! assert!(article.mentions.iter().any(|m| m.mention.as_ref().is_some_and(|at| at.text == "Piet Vos")));
//! # Ok::<(), stance::Error>(())
//! ```
//!
//! The pipeline behind it, one module a stage:
//!
//! - [`corpus`]: labelled corpora in, as streams of [`corpus::Example`]s;
//! - [`tokenize`]: the tokenizer (a `tokenizers` crate pipeline, vocabulary from the corpus);
//! - [`features`]: target-aware hashed features, one module per family,
//!   via [`pipeline::Featurizer`] and, with a model, [`pipeline::Scorer`];
//! - [`actors`], [`sentences`]: who is mentioned where; [`predict`]: articles in, scores out;
//! - [`folds`]: cross-validation folds for choosing the L2 strength;
//! - [`solver`] and [`model`]: multinomial logistic regression;
//! - [`bundle`]: saving and loading models, [`catalog`]: finding them (the
//!   default one is built in); [`metrics`]: measuring them,
//!   [`bootstrap`]: how far the measures could move.

pub mod actors;
mod api;
pub mod article;
pub mod atomic;
pub mod bootstrap;
pub mod bundle;
pub mod catalog;
#[doc(hidden)]
pub mod cli;
pub mod corpus;
pub(crate) mod count;
pub(crate) mod data_dir;
pub(crate) mod dir_handle;
pub mod encoder;
pub mod error;
pub mod evaluate;
pub mod features;
pub mod folds;
pub mod framing;
pub(crate) mod hash;
pub mod input;
mod kept;
pub mod label;
pub mod lexicon;
pub mod metrics;
pub mod model;
pub(crate) mod normalize;
pub mod output;
pub mod pipeline;
pub mod predict;
pub mod predictions;
pub mod progress;
pub(crate) mod read_ahead;
pub mod report;
pub mod safety;
pub mod sentences;
pub mod solver;
pub mod summarize;
pub(crate) mod stdio;
pub mod text;
pub mod tokenize;
pub mod topics;
pub mod train;

pub use api::{Listed, Model, Scores};
pub use error::{Error, Result};

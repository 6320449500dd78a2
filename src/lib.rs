//! `stance`: how each sentence of a news article frames each actor it
//! mentions. The pipeline, one module a stage:
//!
//! - [`corpus`]: labelled corpora in, as streams of [`corpus::Example`]s;
//! - [`tokenize`]: the tokenizer (a `tokenizers` crate pipeline, vocabulary from the corpus);
//! - [`features`]: target-aware hashed features, one module per family,
//!   via [`pipeline::Featurizer`] and, with a model, [`pipeline::Scorer`];
//! - [`folds`]: cross-validation folds for choosing the L2 strength;
//! - [`solver`] and [`model`]: multinomial logistic regression;
//! - [`bundle`]: saving and loading models; [`metrics`]: measuring them,
//!   [`bootstrap`]: how far the measures could move;
//! - [`cli`]: the command line.

pub mod actors;
pub mod article;
pub mod atomic;
pub mod bootstrap;
pub mod bundle;
pub mod cli;
pub mod corpus;
pub mod count;
pub mod error;
pub mod evaluate;
pub mod features;
pub mod folds;
pub mod hash;
pub mod input;
pub mod label;
pub mod lexicon;
pub mod metrics;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod predict;
pub mod predictions;
pub mod read_ahead;
pub mod report;
pub mod sentences;
pub mod solver;
pub mod text;
pub mod tokenize;
pub mod train;

pub use error::{Error, Result};

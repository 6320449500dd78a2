//! `stance eval`: score a labelled corpus with a bundle and measure it.

use std::path::Path;

use crate::bundle::Bundle;
use crate::corpus::{self, Format, ReadOptions};
use crate::error::{Error, Location, Result};
use crate::metrics::Meter;
use crate::model::argmax;
use crate::pipeline::{example_targets, Featurizer};

/// Stream the files through the model and count right and wrong.
pub fn evaluate(bundle: &Bundle, format: Format, files: &[impl AsRef<Path>], read: ReadOptions) -> Result<Meter> {
    let model = &bundle.model;
    let mut meter = Meter::new(&model.labels);
    let mut fz = Featurizer::new(&bundle.meta.features, &bundle.tokenizer);
    let (mut feats, mut cols, mut vals) = (Vec::new(), Vec::new(), Vec::new());
    for path in files {
        let path = path.as_ref();
        let before = meter.n();
        for ex in corpus::read(format, path, read)? {
            let ex = ex?;
            fz.set_text(&ex.text);
            let targets = example_targets(&ex);
            for (i, t) in ex.targets.iter().enumerate() {
                let truth = model.labels.iter().position(|l| *l == t.label).ok_or_else(|| {
                    Error::input(
                        Location::line(path, t.line),
                        format!("label {:?} is not one the model knows ({})", t.label, model.labels.join(", ")),
                    )
                })?;
                fz.features(&ex.text, &targets, i, &mut feats);
                meter.add(truth, argmax(&model.predict(&feats, &mut cols, &mut vals)));
            }
        }
        if meter.n() == before {
            return Err(Error::input(Location::file(path), "no examples in file (empty or blank)"));
        }
    }
    Ok(meter)
}

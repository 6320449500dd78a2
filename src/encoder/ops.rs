//! The two hot operations of a layer as candle custom ops that run on the
//! calling thread: a dense layer (matrix product, bias and residual in one
//! pass) and multi-head attention (scores, bias, softmax and the weighted
//! sum, per sequence and head).
//!
//! Why not candle's own ops: on a few cores, the encoder is fastest when
//! whole batches run side by side, one per thread (see
//! `features::encoder::pool_all`). candle splits each op across threads
//! instead: its matrix products across a rayon pool, and large element-wise
//! ops (the bias and residual adds) across a spinning "barrier pool" of its
//! own, whose waiting took a quarter of the CPU time of a MiniLM run on two
//! cores. Fusing the adds into the product's output also saves two passes
//! over the largest tensors of each layer. The arithmetic is unchanged:
//! the same `gemm` kernels, bias and residual added in f32.

use candle_core::{CpuStorage, CustomOp1, CustomOp2, CustomOp3, Layout, Result, Shape, Tensor};

/// The contiguous values of an f32 tensor's storage.
pub(super) fn values<'a>(op: &str, storage: &'a CpuStorage, layout: &Layout) -> Result<&'a [f32]> {
    let CpuStorage::F32(all) = storage else { candle_core::bail!("{op}: expected f32") };
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&all[start..end]),
        None => candle_core::bail!("{op}: expected a contiguous tensor"),
    }
}

/// `y = x W^T + b (+ residual)` over the last dimension of `x`.
pub struct Linear<'a> {
    /// `[inputs, outputs]`, row-major: the transpose of the stored weights.
    pub weight: &'a [f32],
    pub bias: &'a [f32],
    pub inputs: usize,
    pub outputs: usize,
}

impl Linear<'_> {
    /// `x`: `[.., inputs]`; returns `[.., outputs]`.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        x.contiguous()?.apply_op1_no_bwd(self)
    }

    /// [`Self::forward`] plus `residual`, which has the output's shape.
    pub fn forward_add(&self, x: &Tensor, residual: &Tensor) -> Result<Tensor> {
        x.contiguous()?.apply_op2_no_bwd(&residual.contiguous()?, self)
    }

    fn run(&self, x: &[f32], shape: &Shape, residual: Option<&[f32]>) -> Result<(CpuStorage, Shape)> {
        let dims = shape.dims();
        if dims.last() != Some(&self.inputs) {
            candle_core::bail!("linear: input {dims:?}, expected last dimension {}", self.inputs);
        }
        let rows = x.len() / self.inputs;
        let mut out_dims = dims.to_vec();
        *out_dims.last_mut().expect("checked above") = self.outputs;
        let mut y: Vec<f32> = Vec::with_capacity(rows * self.outputs);
        match residual {
            Some(r) => {
                if r.len() != rows * self.outputs {
                    candle_core::bail!("linear: residual of {} values, expected {}", r.len(), rows * self.outputs);
                }
                for row in r.chunks_exact(self.outputs) {
                    y.extend(row.iter().zip(self.bias).map(|(a, b)| a + b));
                }
            }
            None => (0..rows).for_each(|_| y.extend_from_slice(self.bias)),
        }
        // Computed as its transpose, y^T = W x^T: gemm's kernels read the
        // left operand down its columns, which the weight stored as
        // [inputs, outputs] gives as it lies, where x (row-major) had to be
        // copied into packed panels on every call (14% of an mpnet run).
        // SAFETY: y^T is outputs x rows with row stride 1 and column stride
        // outputs (y row-major), W is outputs x inputs with row stride 1 and
        // column stride outputs, x^T is inputs x rows with row stride 1 and
        // column stride inputs: every index gemm touches lies inside its slice.
        unsafe {
            product(
                (self.outputs, rows, self.inputs),
                (y.as_mut_ptr(), self.outputs as isize, 1),
                (self.weight.as_ptr(), self.outputs as isize, 1),
                (x.as_ptr(), self.inputs as isize, 1),
                Dst::Add,
            );
        }
        Ok((CpuStorage::F32(y), Shape::from(out_dims)))
    }
}

impl CustomOp1 for Linear<'_> {
    fn name(&self) -> &'static str {
        "linear"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        self.run(values("linear", storage, layout)?, layout.shape(), None)
    }
}

impl CustomOp2 for Linear<'_> {
    fn name(&self) -> &'static str {
        "linear-add"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout) -> Result<(CpuStorage, Shape)> {
        if l1.shape().dims()[..l1.dims().len() - 1] != l2.shape().dims()[..l2.dims().len() - 1] {
            candle_core::bail!("linear-add: input {:?} and residual {:?} differ", l1.shape(), l2.shape());
        }
        self.run(values("linear-add", s1, l1)?, l1.shape(), Some(values("linear-add", s2, l2)?))
    }
}

/// Multi-head self-attention, `softmax(q k^T + bias) v` per sequence and
/// head, read from and written to `[batch, len, heads x head_size]`
/// directly (a head is a column range, so no transposes), on the calling
/// thread. `q` comes pre-scaled by `1 / sqrt(head_size)`.
pub struct Attention<'a> {
    pub heads: usize,
    /// Added to the scores: `[batch, heads, len, len]`, contiguous.
    pub bias: Option<&'a [f32]>,
}

impl Attention<'_> {
    pub fn forward(&self, q: &Tensor, k: &Tensor, v: &Tensor) -> Result<Tensor> {
        q.contiguous()?.apply_op3_no_bwd(&k.contiguous()?, &v.contiguous()?, self)
    }
}

/// What [`product`] does with what `dst` holds.
#[derive(Clone, Copy, PartialEq)]
enum Dst {
    Overwrite,
    Add,
}

/// `dst (m x n) = lhs (m x k) rhs (k x n)`, or `dst += ...` with
/// [`Dst::Add`]; each matrix given by its pointer, column stride and row
/// stride; on the calling thread.
///
/// # Safety
/// Every index the strides reach must lie inside the caller's slices.
unsafe fn product((m, n, k): (usize, usize, usize), dst: (*mut f32, isize, isize), lhs: (*const f32, isize, isize), rhs: (*const f32, isize, isize), mode: Dst) {
    let add = mode == Dst::Add;
    // SAFETY: passed on from the caller.
    unsafe {
        gemm::gemm(m, n, k, dst.0, dst.1, dst.2, add, lhs.0, lhs.1, lhs.2, rhs.0, rhs.1, rhs.2, if add { 1.0 } else { 0.0 }, 1.0, false, false, false, gemm::Parallelism::None);
    }
}

impl CustomOp3 for Attention<'_> {
    fn name(&self) -> &'static str {
        "attention"
    }

    fn cpu_fwd(&self, s1: &CpuStorage, l1: &Layout, s2: &CpuStorage, l2: &Layout, s3: &CpuStorage, l3: &Layout) -> Result<(CpuStorage, Shape)> {
        let (q, k, v) = (values("attention", s1, l1)?, values("attention", s2, l2)?, values("attention", s3, l3)?);
        let &[b, l, hidden] = l1.dims() else { candle_core::bail!("attention: expected [batch, len, hidden], got {:?}", l1.dims()) };
        if l2.dims() != l1.dims() || l3.dims() != l1.dims() || hidden % self.heads != 0 {
            candle_core::bail!("attention: q {:?}, k {:?}, v {:?} for {} heads", l1.dims(), l2.dims(), l3.dims(), self.heads);
        }
        if let Some(bias) = self.bias
            && bias.len() != b * self.heads * l * l
        {
            candle_core::bail!("attention: a bias of {} values for {b} x {} x {l} x {l}", bias.len(), self.heads);
        }
        let d = hidden / self.heads;
        let h = hidden as isize;
        let mut out = vec![0f32; q.len()];
        let mut scores = vec![0f32; l * l];
        for bi in 0..b {
            let seq = bi * l * hidden;
            for hi in 0..self.heads {
                let at = seq + hi * d;
                // SAFETY: rows bi*l .. bi*l+l and columns hi*d .. hi*d+d of
                // q, k, v and out (row stride hidden) lie inside them, and
                // scores is l x l.
                unsafe {
                    // scores = q_h k_h^T: k_h^T (d x l) has row stride 1, column stride hidden.
                    product((l, l, d), (scores.as_mut_ptr(), 1, l as isize), (q[at..].as_ptr(), 1, h), (k[at..].as_ptr(), h, 1), Dst::Overwrite);
                }
                let bias = self.bias.map(|bias| &bias[(bi * self.heads + hi) * l * l..][..l * l]);
                for (qi, row) in scores.chunks_exact_mut(l).enumerate() {
                    if let Some(bias) = bias {
                        row.iter_mut().zip(&bias[qi * l..(qi + 1) * l]).for_each(|(s, b)| *s += b);
                    }
                    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let mut sum = 0f32;
                    for s in row.iter_mut() {
                        *s = (*s - max).exp();
                        sum += *s;
                    }
                    row.iter_mut().for_each(|s| *s /= sum);
                }
                // SAFETY: as above.
                unsafe {
                    product((l, d, l), (out[at..].as_mut_ptr(), 1, h), (scores.as_ptr(), 1, l as isize), (v[at..].as_ptr(), 1, h), Dst::Overwrite);
                }
            }
        }
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

//! GELU (the exact, erf form BERT and MPNet use) as a candle op with a
//! rational erf that vectorizes.
//!
//! Why not candle's `gelu_erf`: it calls libm's scalar `erff` per element,
//! which took ~13% of MiniLM's forward time. The rational approximation
//! below (Eigen's `generic_fast_erf_float`, also XLA's) is within 7e-8 of erf
//! everywhere, so GELU moves by < 2e-7 for |x| < 6: far inside our 1e-4
//! agreement with the references.

use candle_core::{CpuStorage, CustomOp1, Layout, Result, Shape, Tensor};

/// `0.5 x (1 + erf(x / sqrt 2))`; `x` must be f32.
pub fn gelu(x: &Tensor) -> Result<Tensor> {
    x.apply_op1_no_bwd(&Gelu)
}

struct Gelu;

impl CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "gelu-erf-rational"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let src = super::ops::values("gelu", storage, layout)?;
        let mut dst = vec![0f32; src.len()];
        apply(src, &mut dst);
        Ok((CpuStorage::F32(dst), layout.shape().clone()))
    }
}

fn apply(src: &[f32], dst: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has the features the function is compiled for.
        return unsafe { apply_avx2(src, dst) };
    }
    apply_portable(src, dst)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn apply_avx2(src: &[f32], dst: &mut [f32]) {
    apply_portable(src, dst)
}

#[inline(always)]
fn apply_portable(src: &[f32], dst: &mut [f32]) {
    for (d, &x) in dst.iter_mut().zip(src) {
        *d = 0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// erf(x) = x P(x^2) / Q(x^2) on [-4, 4] (beyond, erf is +-1 in f32).
#[inline(always)]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_3e-10_f32;
    for c in [2.770_681_4e-8, -2.101_024e-6, -5.692_506_4e-5, -7.349_906_3e-4, -2.954_6e-3, -1.609_603_3e-2] {
        p = p.mul_add(x2, c);
    }
    let mut q = -1.456_607_2e-5_f32;
    for c in [-2.133_740_6e-4, -1.682_827e-3, -7.373_329_2e-3, -1.426_473_9e-2] {
        q = q.mul_add(x2, c);
    }
    x * p / q
}

#[cfg(test)]
mod tests {
    use super::erf;

    #[test]
    fn erf_is_close_to_the_series() {
        // erf by its Taylor series in f64, accurate for |x| <= 3.
        let series = |x: f64| {
            let (mut term, mut sum) = (x, x);
            for n in 1..200 {
                term *= -x * x / n as f64;
                sum += term / (2 * n + 1) as f64;
            }
            sum * 2.0 / std::f64::consts::PI.sqrt()
        };
        let mut worst = 0f64;
        for i in -3000..=3000 {
            let x = i as f64 / 1000.0;
            worst = worst.max((erf(x as f32) as f64 - series(x)).abs());
        }
        assert!(worst < 3e-7, "worst {worst}");
        assert_eq!(erf(10.0), erf(4.0));
        assert!((erf(4.0) - 1.0).abs() < 1e-6);
    }
}

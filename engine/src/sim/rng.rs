//! A tiny seeded pseudo-random generator: splitmix64 to seed, xoshiro256**
//! to draw. No clock, no global state: the same seed always gives the same
//! stream, on every platform (the arithmetic is integer, the floats come
//! from `libm`, which is pure Rust).

/// splitmix64: one step of the seeding sequence.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256**: fast, small, good enough for simulation noise.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator seeded from `seed` (any value, 0 included).
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform float in `[0, 1)` (53 random bits).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Table size of [`NormalTable`]: 2^10 cells.
const CELLS_LOG2: u32 = 10;
const CELLS: usize = 1 << CELLS_LOG2;

/// Draws from a distribution through a table of its quantiles at the cell
/// midpoints, interpolating linearly inside a cell: a table lookup per
/// draw instead of a logarithm, a square root and a cosine. The tails are
/// cut a quarter cell from the ends (±3.4σ for the normal).
#[derive(Clone, Debug)]
pub struct QuantileTable {
    q: alloc::vec::Vec<f64>,
}

impl QuantileTable {
    /// A table of `f(z)` at the standard normal quantiles of the cell
    /// edges (the outermost edges clamped to a quarter cell from 0 and 1).
    pub fn normal_mapped(f: impl Fn(f64) -> f64) -> QuantileTable {
        let edge = 0.25 / CELLS as f64;
        let q = (0..=CELLS)
            .map(|k| {
                f(inverse_normal_cdf(
                    (k as f64 / CELLS as f64).clamp(edge, 1.0 - edge),
                ))
            })
            .collect();
        QuantileTable { q }
    }

    /// One draw.
    pub fn draw(&self, rng: &mut Rng) -> f64 {
        let bits = rng.next_u64();
        let cell = (bits >> (64 - CELLS_LOG2)) as usize;
        let frac = ((bits >> 11) & ((1 << (53 - CELLS_LOG2)) - 1)) as f64
            / (1u64 << (53 - CELLS_LOG2)) as f64;
        let a = self.q[cell];
        let b = self.q[cell + 1];
        a + (b - a) * frac
    }
}

/// The standard normal quantile function (Acklam's rational approximation,
/// relative error below 1.2e-9).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let low = 0.02425;
    if p < low {
        let q = libm::sqrt(-2.0 * libm::log(p));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -inverse_normal_cdf(1.0 - p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let mut c = Rng::new(43);
        let xs: alloc::vec::Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: alloc::vec::Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: alloc::vec::Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn uniform_floats_stay_in_range() {
        let mut r = Rng::new(0);
        for _ in 0..10_000 {
            let x = r.next_f64();
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn inverse_cdf_is_accurate() {
        assert!(inverse_normal_cdf(0.5).abs() < 1e-9);
        assert!((inverse_normal_cdf(0.975) - 1.959_963_985).abs() < 1e-6);
        assert!((inverse_normal_cdf(0.025) + 1.959_963_985).abs() < 1e-6);
        assert!((inverse_normal_cdf(0.001) + 3.090_232_306).abs() < 1e-6);
    }

    #[test]
    fn normal_table_has_unit_moments() {
        let t = QuantileTable::normal_mapped(|z| z);
        let mut r = Rng::new(7);
        let n = 200_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for _ in 0..n {
            let z = t.draw(&mut r);
            sum += z;
            sq += z * z;
        }
        let mean = sum / n as f64;
        let var = sq / n as f64 - mean * mean;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.03, "variance {var}");
    }
}

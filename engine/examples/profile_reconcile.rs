//! Runs the reconcile bench case many times, for instruction-level
//! profilers: `valgrind --tool=callgrind target/release/examples/profile_reconcile`.

const CASE: &str = include_str!("../benches/reconcile-case.yaml");

fn main() {
    let parsed = replicast_engine::case::parse(CASE).expect("the bench case is valid");
    let mut total = 0i64;
    for _ in 0..20_000 {
        total += i64::from(
            replicast_engine::case::evaluate(std::hint::black_box(&parsed)).desired_replicas,
        );
    }
    println!("{total}");
}

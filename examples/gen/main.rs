//! Generates a seed directory of N comparisons for benchmarks:
//!
//! ```sh
//! cargo run --release --example gen -- 20000 /tmp/seeds-20k [SEED]
//! ```
//!
//! See `generator.rs` for the shape of the data. It is not part of the
//! library's API: the benchmark and a robustness test share it by path.

use std::error::Error;
use std::path::Path;

mod generator;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: gen N DIR [SEED]".into());
    }
    let comparisons: u64 = args[1].parse()?;
    let seed: u64 = args.get(3).map_or(Ok(42), |s| s.parse())?;
    generator::generate(comparisons, Path::new(&args[2]), seed)
}

//! Generates a seed directory of N comparisons for benchmarks:
//!
//! ```sh
//! cargo run --release --example gen -- 20000 /tmp/seeds-20k [SEED]
//! cargo run --release --example gen -- --dictionary 150000 /tmp/dict [SEED]
//! ```
//!
//! `--dictionary N`: N terms with variants and relations and no articles,
//! the shape of WordNet (150,000 terms: 200,000 variants, 300,000 relations).
//!
//! See `generator.rs` for the shape of the data. It is not part of the
//! library's API: the benchmark and a robustness test share it by path.

use std::error::Error;
use std::path::Path;

mod generator;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args: Vec<String> = std::env::args().collect();
    let dictionary = args.get(1).is_some_and(|a| a == "--dictionary");
    if dictionary {
        args.remove(1);
    }
    if args.len() < 3 {
        return Err("usage: gen [--dictionary] N DIR [SEED]".into());
    }
    let n: u64 = args[1].parse()?;
    let seed: u64 = args.get(3).map_or(Ok(42), |s| s.parse())?;
    if dictionary {
        generator::generate_dictionary(n, Path::new(&args[2]), seed)
    } else {
        generator::generate(n, Path::new(&args[2]), seed)
    }
}

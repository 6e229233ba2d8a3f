import SodarCache

/// The benchmarks' `--name VALUE` options.
enum BenchArguments {
    /// The options in order; every one needs a value.
    static func pairs(_ arguments: [String]) throws -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next() else { throw CacheError.invalidArgument("\(argument) needs a value") }
            pairs.append((argument, value))
        }
        return pairs
    }

    /// A positive count, `_` allowed as a digit separator (`1_000_000`).
    static func count(_ name: String, _ value: String) throws -> Int {
        guard let number = Int(value.replacingOccurrences(of: "_", with: "")), number > 0 else {
            throw CacheError.invalidArgument("\(name) needs a positive number, not \(value)")
        }
        return number
    }
}

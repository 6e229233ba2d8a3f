import SodarCache

/// The benchmarks' `--name N` options: positive integers, `_` allowed as a digit separator.
enum BenchArguments {
    static func counts(_ arguments: [String]) throws -> [(name: String, value: Int)] {
        var pairs: [(name: String, value: Int)] = []
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next().flatMap({ Int($0.replacingOccurrences(of: "_", with: "")) }), value > 0 else {
                throw CacheError.invalidArgument("\(argument) needs a positive number")
            }
            pairs.append((argument, value))
        }
        return pairs
    }
}

import ArgumentParser
import Foundation
import JSONKit
import SodarCache
import StoreKernel
import StoreOpening

/// `diff APP NAME [-p UUID] (--in-project UUID|site | --in-db PATH|URI) [--json]`: a structural
/// diff of an item's payload against the same item elsewhere.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare a cached item with the same item in another project, site-wide, or in another store.",
        discussion: """
            The item (APP NAME, -p for a project's) is the old side (-), the other one the new \
            side (+). Objects compare by key whatever their order (jsonb reorders keys; of \
            duplicate keys the last counts), arrays by position with runs of inserted or removed \
            elements found, strings by text (escapes decoded), numbers by text within one \
            engine and by value (1.0 = 1, 1e2 = 100, exactly) across two (SQLite, sodarcache's \
            PostgreSQL schema, a SODAR site's jsonb); --numbers overrides. Paths are those of \
            the new side, of the old one for removals. Exit status as diff(1): 0 equal, 1 \
            different, 2 trouble (a missing item or project, a store that cannot be read).
            """)

    enum Numbers: String, ExpressibleByArgument, CaseIterable {
        case auto, text, value
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @Argument(help: "The app the item belongs to.") var app: String
    @Argument(help: "The item name.") var name: String
    @Option(name: .customLong("in-project"), help: ArgumentHelp("Compare with the same item in this project, or with the site-wide item.", valueName: "UUID|site"))
    var inProject: String?
    @Option(name: .customLong("in-db"), help: ArgumentHelp("Compare with the same item in another store (opened read-only).", valueName: "PATH|URI"))
    var inDB: String?
    @Option(help: ArgumentHelp("Compare with an earlier version of the item (sodarcache history lists them); it is the old side.", valueName: "K"))
    var rev: Int64?
    @Option(help: ArgumentHelp("Compare with the item as a delete kept it (sodarcache trash lists them); it is the old side.", valueName: "ID"))
    var trash: Int64?
    @Option(help: "Numbers: by text, by value, or auto (by value when the two sides are different engines).") var numbers: Numbers = .auto
    @Flag(help: "Print the changes as JSON.") var json = false

    func validate() throws {
        try DiffSide.requireOne(inProject: inProject, inDB: inDB, rev: rev, trash: trash)
    }

    func run() throws {
        if try SodarCacheCLI.troubleExitsTwo(compare) { throw ExitCode(1) }
    }

    /// Prints the diff; true when the two differ.
    private func compare() throws -> Bool {
        let side = try DiffSide(inProject: inProject, inDB: inDB, rev: rev, trash: trash)
        let (config, store) = try global.open(mustExist: true, readingCommand: true)
        let project = try projectOption.resolve(in: store)
        let item = try DiffSide.item(app: app, name: name, project: project, in: store, where: nil)
        let named = DiffOperand(label: DiffSide.label(app: app, name: name, project: project), data: item.data, engine: StoreFactory.engine(of: store))
        let other = try side.load(app: app, name: name, project: project, store: store, setup: global.setup, config: config)
        // An earlier version of the item is the old side; another item is the new one.
        let (old, new) = side.isEarlier ? (other, named) : (named, other)
        let byValue = numbers == .value || (numbers == .auto && old.engine != new.engine)
        let result: JSONDiffResult
        do {
            result = try JSONDiff.compare(old.data, new.data, options: JSONDiffOptions(numbersByValue: byValue))
        } catch let error as JSONDiffError {
            let label = error.side == .old ? old.label : new.label
            throw CLIError.notFound("\(label) is not valid JSON: \(error.error)")
        }
        let report = DiffReport(result: result, old: old, new: new)
        let out = OutputBuffer(limit: 1 << 18)
        if json {
            // On a terminal, characters that would drive it are written as escapes (same JSON).
            var safe: TerminalSafeJSON? = Console.isTTY(1) ? TerminalSafeJSON() : nil
            try JSON.prettyPrint(try report.json()) { chunk in
                if safe != nil { safe?.filter(chunk) { out.write($0) } } else { out.write(chunk) }
            }
            safe?.finish { out.write($0) }
        } else {
            let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
            out.write(report.text(colour: Console.isTTY(1) && !noColor))
        }
        out.flush()
        return !result.isEqual
    }
}

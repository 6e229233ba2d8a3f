import ArgumentParser
import Foundation
import JSONKit
import SodarCache
import SodarCacheSync
import StoreKernel

/// `set APP NAME [-p UUID] [--user NAME] [--data JSON]`: SODAR's `set_cache_item`.
struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Create or update a cached item (data from --data or stdin).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @Argument(help: "The app the item belongs to.") var app: String
    @Argument(help: "The item name.") var name: String
    @Option(help: "The user triggering the update (kept from the last write when omitted).") var user: String?
    @Option(help: "The JSON payload; read from stdin when omitted.") var data: String?
    @Option(name: .customLong("data-type"), help: "The data type (only \"json\").") var dataType = "json"

    func run() throws {
        let (config, store) = try global.open(needs: .write("set"))
        let project = try projectOption.resolve(in: store)
        let payload: Data
        if let data {
            payload = Data(data.utf8)
        } else {
            if Console.isTTY(0) {
                Console.stderr("Reading the JSON payload from stdin until Ctrl-D (or pass --data JSON)\n")
            }
            payload = try FileReading.readStandardInput()
        }
        // Every argument checked before anything is changed, the history policy included.
        try store.writeRules.check(appName: app, name: name, dataType: dataType, data: payload)
        try global.applyHistoryPolicy(of: config, to: store)
        try store.setCacheItem(
            appName: app, name: name, data: payload, dataType: dataType, project: project?.uuid,
            user: user.map { User(username: $0) })
    }
}

/// `get APP NAME [-p UUID] [--compact|--record]`.
struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Print a cached item's data (pretty-printed, key order kept).",
        discussion: """
            --record prints date_modified with SODAR's meaning: on a SODAR site's tables that is \
            when the item was created (SODAR never moves it on a rewrite). \
            The data is printed as the store holds it. A SQLite store and a sodarcache store on \
            PostgreSQL keep each payload exactly as it was written: key order and number \
            spelling (1.50, 1e3) stay. A SODAR site's database stores payloads as jsonb, so \
            there key order and number spelling are PostgreSQL's (keys sorted by length, then \
            bytes; duplicate keys dropped); the size shown is that of this JSON text.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var address: ItemAddress
    @Flag(help: "Print the data as stored.") var compact = false
    @Flag(help: "Print the whole item as SODAR's REST API returns it.") var record = false
    @Option(help: "An earlier version of the item (sodarcache history lists its revisions).") var rev: Int64?

    func validate() throws {
        if compact && record { throw ValidationError("--compact and --record cannot be combined") }
        if rev != nil && address.uuid != nil { throw ValidationError("--rev needs APP NAME [-p UUID], not --uuid") }
        try address.check(project: projectOption.project)
    }

    func run() throws {
        let (_, store) = try global.open(mustExist: true, readingCommand: true)
        let item = try rev.map { try HistoryCommand.version($0, of: address, projectOption: projectOption, in: store) }
            ?? address.find(in: store, projectOption: projectOption)
        let out = OutputBuffer(limit: 1 << 18)
        // On a terminal, characters that would drive it are written as escapes (same JSON).
        var safe: TerminalSafeJSON? = Console.isTTY(1) ? TerminalSafeJSON() : nil
        let sink: (UnsafeRawBufferPointer) -> Void = { chunk in
            if safe != nil { safe?.filter(chunk) { out.write($0) } } else { out.write(chunk) }
        }
        if compact {
            item.data.withUnsafeBytes { sink($0) }
        } else if record {
            let head = JSONText.object([
                ("project", JSONText.string(item.project?.sodarString)),
                ("app_name", JSONText.string(item.appName)),
                ("name", JSONText.string(item.name)),
                ("date_modified", JSONText.string(JSONText.date(item.dateModified))),
                ("user", JSONText.string(item.user?.username)),
                ("sodar_uuid", JSONText.string(item.uuid.sodarString)),
            ])
            var assembled = Data(head.utf8.dropLast())
            assembled.append(contentsOf: ", \"data\": ".utf8)
            assembled.append(item.data)
            assembled.append(UInt8(ascii: "}"))
            try JSON.prettyPrint(assembled, to: sink)
        } else {
            try JSON.prettyPrint(item.data, to: sink)
        }
        safe?.finish { out.write($0) }
        if compact { out.write("\n") }
        out.flush()
    }
}

/// `update-time APP NAME [-p UUID]`: epoch seconds of the last write.
struct UpdateTimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update-time", abstract: "Print an item's update time (epoch seconds), as SODAR's get_update_time does.",
        discussion: """
            SODAR's meaning is kept: on a SODAR site's tables this is the item's date_modified, \
            which SODAR sets when it creates the item and never moves on a rewrite (its creation \
            time); on sodarcache's own stores every write moves it.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var address: ItemAddress

    func validate() throws { try address.check(project: projectOption.project) }

    func run() throws {
        let (_, store) = try global.open(mustExist: true, readingCommand: true)
        let time: Double
        if address.uuid != nil {
            time = try address.find(in: store, projectOption: projectOption).dateModified.timeIntervalSince1970
        } else {
            let project = try projectOption.resolve(in: store)
            let (app, name) = (address.app ?? "", address.name ?? "")
            guard let found = try store.getUpdateTime(appName: app, name: name, project: project?.uuid) else {
                throw CacheError.itemNotFound(app: app, name: name, project: project?.uuid)
            }
            time = found
        }
        Console.stdout(String(format: "%.6f\n", time))
    }
}

/// `delete APP NAME [-p UUID]`: one item, silent when missing (as in SODAR).
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete one cached item (silent when it does not exist).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @OptionGroup var address: ItemAddress

    func validate() throws { try address.check(project: projectOption.project) }

    func run() throws {
        var (config, store) = try global.open(needs: .delete("delete"))
        let opened = store
        if let text = address.uuid {
            let uuid = try UUID.sodar(text)
            store = try global.checkTrashFits(
                { Int64(try opened.item(uuid: uuid)?.data.count ?? 0) }, store: store, config: config, command: "delete",
                needs: .delete("delete"))
            if global.mustConfirm(config), let item = try store.item(uuid: uuid) {
                try ask(item.appName, item.name, config: config)
            }
            try store.deleteItems(uuids: [uuid])
        } else {
            let project = try projectOption.resolve(in: store)
            let (app, name) = (address.app ?? "", address.name ?? "")
            store = try global.checkTrashFits(
                { Int64(try opened.getCacheItem(appName: app, name: name, project: project?.uuid)?.data.count ?? 0) }, store: store,
                config: config, command: "delete", needs: .delete("delete"))
            // Silent when there is nothing to delete, as in SODAR: nothing to ask either.
            if global.mustConfirm(config), try store.getCacheItem(appName: app, name: name, project: project?.uuid) != nil {
                try ask(app, name, config: config)
            }
            try store.deleteCacheItem(appName: app, name: name, project: project?.uuid)
        }
        TrashCommand.sayKept(by: store, config: config)
    }

    /// A confirm profile's question.
    private func ask(_ app: String, _ name: String, config: SodarConfig) throws {
        let title = config.activeProfile?.shownName ?? ""
        try global.confirm("Delete 1 item (\(app) \(name)) from \(title)?", config: config, command: "delete")
    }
}

/// `APP NAME`, or `--uuid UUID`: one item. SODAR's constraint lets site-wide items of one name
/// exist twice (NULL projects are distinct), and only the UUID tells them apart.
struct ItemAddress: ParsableArguments {
    @Argument(help: "The app the item belongs to.") var app: String?
    @Argument(help: "The item name.") var name: String?
    @Option(name: .customLong("uuid"), help: "The item by its own UUID instead of APP NAME (site-wide items of one name may exist twice on a SODAR site).")
    var uuid: String?

    /// APP and NAME, or --uuid alone.
    func check(project: String?) throws {
        if uuid != nil {
            if app != nil || name != nil || project != nil {
                throw ValidationError("--uuid names the item alone: give either --uuid or APP NAME [-p UUID]")
            }
        } else if app == nil || name == nil {
            throw ValidationError("give APP and NAME, or --uuid UUID")
        }
    }

    /// The item, by UUID or by (project, app, name).
    /// - Throws: `CacheError.itemNotFound` (by name), `.invalidUUID`, or a not-found error naming the UUID.
    func find(in store: any StoreEngine, projectOption: ProjectOption) throws -> CacheItem {
        if let text = uuid {
            let id = try UUID.sodar(text)
            guard let item = try store.item(uuid: id) else { throw CLIError.notFound("No cached item with UUID \(id.sodarString)") }
            return item
        }
        let project = try projectOption.resolve(in: store)
        let (app, name) = (self.app ?? "", self.name ?? "")
        guard let item = try store.getCacheItem(appName: app, name: name, project: project?.uuid) else {
            throw CacheError.itemNotFound(app: app, name: name, project: project?.uuid)
        }
        return item
    }
}

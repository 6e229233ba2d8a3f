import Foundation
import SodarCache
import StoreKernel

/// Builds a SODAR-like data set: categories, projects, the app names and payload shapes a
/// SODAR server caches (REFERENCE.md), ages from minutes to months, one multi-megabyte
/// rendered study table, and one item full of control characters and wide text.
struct DemoData {
    /// The apps the demo writes, all declared in the demo config.
    static let apps: [(name: String, title: String)] = [
        ("samplesheets", "Sample Sheets"),
        ("samplesheets.assayapps.cytof", "Sample Sheets: CyTOF assays"),
        ("samplesheets.assayapps.dna_sequencing", "Sample Sheets: DNA sequencing assays"),
        ("samplesheets.assayapps.generic", "Sample Sheets: generic assays"),
        ("samplesheets.assayapps.microarray", "Sample Sheets: microarray assays"),
        ("samplesheets.studyapps.cancer", "Sample Sheets: cancer studies"),
        ("samplesheets.studyapps.germline", "Sample Sheets: germline studies"),
    ]

    let now: Date
    var rng: SplitMix64

    init(now: Date = Date(), seed: UInt64 = 0x50DA_2C4C) {
        self.now = now
        self.rng = SplitMix64(seed: seed)
    }

    private static let users = ["admin", "jdoe", "mmustermann", "cubi-sync", "akowalska"]
    private static let assayKinds = ["cytof", "dna_sequencing", "generic", "microarray"]

    /// The project tree: (title, parent title, type, description).
    private static let tree: [(String, String?, Project.Kind, String)] = [
        ("Cancer Research", nil, .category, "Oncology projects of the institute"),
        ("Colorectal Cancer", "Cancer Research", .category, "CRC working group"),
        ("CRC Liver Metastases Cohort", "Colorectal Cancer", .project, "WES/RNA-seq of primaries and metastases"),
        ("Organoid Drug Screening", "Colorectal Cancer", .project, "Patient-derived organoids, 120 compounds"),
        ("Neuroblastoma Relapse", "Cancer Research", .project, "Longitudinal panel sequencing"),
        ("CyTOF Immune Profiling", "Cancer Research", .project, "Mass cytometry of tumour infiltrates"),
        ("Rare Diseases", nil, .category, "Translational genomics for rare diseases"),
        ("Congenital Heart Defects Trios", "Rare Diseases", .project, "Trio exomes"),
        ("Mitochondrial Disorders Exomes", "Rare Diseases", .project, "Exomes and mtDNA"),
        ("東京大学 共同研究 🧬", "Rare Diseases", .project, "Collaboration with wide titles"),
        ("Core Facilities", nil, .category, "Shared infrastructure"),
        ("Microarray Legacy Import 2014", "Core Facilities", .project, "Imported from the old LIMS"),
        ("Single-cell Atlas of the Colon", "Core Facilities", .project, "scRNA-seq atlas"),
        ("Proteomics Pilot", nil, .project, "A top-level project without a category"),
    ]

    /// Writes the data set into `store` and returns how many items it wrote.
    /// - Parameter filesRoot: where project directories with sample files are made, so the
    ///   built-in `filestats` app has something to count on sync.
    mutating func populate(store: some CacheStore, filesRoot: String) throws -> Int {
        var byTitle: [String: Project] = [:]
        var projects: [Project] = []
        for (index, entry) in Self.tree.enumerated() {
            var project = Project(
                uuid: uuid(), title: entry.0, type: entry.2, parent: entry.1.flatMap { byTitle[$0]?.uuid },
                description: entry.3)
            if entry.2 == .project && index % 3 == 2 {
                project.path = try makeFiles(root: filesRoot, project: project)
            }
            project = try store.addProject(project)
            byTitle[entry.0] = project
            projects.append(project)
        }
        var writes: [CacheWrite] = []
        for project in projects where project.type == .project {
            writes += projectItems(project, large: project.title == "Organoid Drug Screening")
        }
        writes += siteItems()
        writes.append(hostileItem(project: byTitle["東京大学 共同研究 🧬"]))
        try store.setCacheItems(writes)
        return writes.count
    }

    // MARK: - Items

    private mutating func projectItems(_ project: Project, large: Bool) -> [CacheWrite] {
        var writes: [CacheWrite] = []
        let projectUUID = project.uuid.sodarString
        let base = "/sodarZone/projects/\(projectUUID.prefix(2))/\(projectUUID)/sample_data"
        for studyIndex in 0..<(2 + int(4)) {
            let study = uuid().sodarString
            var assays: [(String, String)] = []
            for _ in 0..<(1 + int(4)) {
                let assay = uuid().sodarString
                let kind = Self.assayKinds[int(Self.assayKinds.count)]
                assays.append((assay, kind))
                let assayPath = "\(base)/study_\(study)/assay_\(assay)"
                writes.append(write(project, "samplesheets", "irods/shortcuts/assay/\(assay)", shortcuts(assayPath)))
                writes.append(write(project, "samplesheets.assayapps.\(kind)", "irods/rows/\(assay)", rows(assayPath)))
            }
            let studyApp = studyIndex % 2 == 0 ? "germline" : "cancer"
            writes.append(write(project, "samplesheets.studyapps.\(studyApp)", "irods/\(study)", studyFiles(base)))
            let rowCount = large && studyIndex == 0 ? 3000 : 12 + int(60)
            writes.append(write(project, "samplesheets", "sheet/tables/study/\(study)", tables(assays: assays, rows: rowCount)))
        }
        return writes
    }

    private mutating func siteItems() -> [CacheWrite] {
        var zones = "{\"zones\": ["
        for index in 0..<6 {
            if index > 0 { zones += ", " }
            zones += "{\"name\": \"sodarZone\(index)\", \"status\": \"\(index == 4 ? "degraded" : "ok")\", \"latency_ms\": \(3 + int(40))}"
        }
        zones += "], \"checked_by\": \"cubi-sync\"}"
        return [
            write(nil, "samplesheets", "irods/zone/status", zones),
            write(nil, "samplesheets", "remote/sites/summary",
                  "{\"sites\": {\"BIH Berlin\": {\"projects\": 412, \"synced\": true}, \"MDC\": {\"projects\": 87, \"synced\": false}}, \"version\": \"1.4.5\"}"),
        ]
    }

    /// Control characters in the name, a bidi override in a value, raw C1 controls, escaped
    /// terminal sequences, and wide text: everything the browser must show safely.
    private mutating func hostileItem(project: Project?) -> CacheWrite {
        let payload = """
            {"comment": "\\u001b]0;owned\\u0007\\u001b[2J\\u001b[31mred alert\\u001b[0m",
             "raw_c1": "before\u{9B}31mafter\u{85}",
             "bidi": "invoice_\u{202E}fdp.exe",
             "sample": "患者サンプル 肝転移 🧬🔬",
             "emoji_keys": {"🧪 tube": 3, "試料": "ＷＩＤＥ"},
             "nested": {"deep": [1.50, 2e10, -0.0, null, true, false]}}
            """
        var item = write(project, "samplesheets", "irods/notes/evil\u{1B}[31mname\u{7}", payload)
        item.dateModified = now.addingTimeInterval(-40 * 86400)
        return item
    }

    // MARK: - Payload shapes (REFERENCE.md "What real apps cache")

    private mutating func shortcuts(_ assayPath: String) -> String {
        let hubs = (0..<int(3)).map { "\"\(assayPath)/TrackHubs/hub\($0 + 1)\"" }.joined(separator: ", ")
        return "{\"shortcuts\": {\"results_reports\": \(bool()), \"misc_files\": \(bool()), \"track_hubs\": [\(hubs)]}}"
    }

    private mutating func rows(_ assayPath: String) -> String {
        var out = "{\"paths\": {"
        for row in 0..<(4 + int(30)) {
            if row > 0 { out += ", " }
            let path = "\"\(assayPath)/\(String(format: "row%03d", row + 1))\""
            if int(9) == 0 {
                out += "\(path): null"
            } else {
                out += "\(path): {\"file_count\": \(1 + int(40)), \"total_size\": \(1024 * (1 + int(2_000_000)))}"
            }
        }
        return out + "}}"
    }

    private mutating func studyFiles(_ base: String) -> String {
        var bam: [String] = []
        var vcf: [String] = []
        for index in 0..<(2 + int(6)) {
            let sample = "S\(100 + index)-N1-DNA1-WES1"
            bam.append("\"\(sample)\": " + (int(6) == 0 ? "null" : "\"\(base)/\(sample)/\(sample).bam\""))
        }
        for index in 0..<(1 + int(3)) {
            let family = "FAM_\(index + 1)"
            vcf.append("\"\(family)\": " + (int(5) == 0 ? "null" : "\"\(base)/\(family)/\(family).vcf.gz\""))
        }
        return "{\"bam\": {\(bam.joined(separator: ", "))}, \"vcf\": {\(vcf.joined(separator: ", "))}}"
    }

    private mutating func tables(assays: [(String, String)], rows: Int) -> String {
        var out = "{\"study\": " + table(rows: rows, columns: 14)
        out += ", \"assays\": {"
        for (index, assay) in assays.enumerated() {
            if index > 0 { out += ", " }
            out += "\"\(assay.0)\": " + table(rows: max(4, rows / 3), columns: 10)
        }
        return out + "}}"
    }

    /// SODAR's rendered table: top_header, field_header, table_data, col_values, col_last_vis.
    private mutating func table(rows: Int, columns: Int) -> String {
        let fields = ["Source Name", "Characteristics[Organism]", "Characteristics[Sex]", "Sample Name",
                      "Extract Name", "Protocol REF", "Parameter Value[Library kit]", "Performer",
                      "Date", "Raw Data File", "Comment[Notes]", "Characteristics[Age]",
                      "Factor Value[Treatment]", "Material Type"]
        var out = "{\"top_header\": [{\"value\": \"Source\", \"colour\": \"#e8f5e9\", \"colspan\": 3}, "
        out += "{\"value\": \"Sample\", \"colour\": \"#fff3e0\", \"colspan\": \(columns - 3)}], \"field_header\": ["
        for column in 0..<columns {
            if column > 0 { out += ", " }
            out += "{\"value\": \"\(fields[column % fields.count])\", \"name\": \"\(fields[column % fields.count].lowercased())\", "
            out += "\"type\": \"\(column % 4 == 0 ? "ontology" : "characteristics")\", \"col_type\": \(column % 5 == 3 ? "\"UNIT\"" : "null"), \"align\": \"left\"}"
        }
        out += "], \"table_data\": ["
        out.reserveCapacity(rows * columns * 60)
        for row in 0..<rows {
            out += row > 0 ? ", [" : "["
            for column in 0..<columns {
                if column > 0 { out += ", " }
                let value: String
                switch column % 5 {
                case 0: value = "\"P\(1000 + row)\""
                case 1: value = "\"Homo sapiens\""
                case 2: value = row % 2 == 0 ? "\"female\"" : "\"male\""
                case 3: value = "\"\(18 + (row * 7 + column) % 60)\""
                default: value = "\"P\(1000 + row)-T\(column)\""
                }
                out += "{\"value\": \(value), \"unit\": null, \"link\": null, \"uuid\": \"\(uuid().sodarString)\"}"
            }
            out += "]"
        }
        out += "], \"col_values\": [" + (0..<columns).map { _ in bool() }.joined(separator: ", ")
        out += "], \"col_last_vis\": \(columns - 1)}"
        return out
    }

    // MARK: - Files for filestats

    private mutating func makeFiles(root: String, project: Project) throws -> String {
        let dir = root + "/" + project.uuid.sodarString
        let fm = FileManager.default
        for sub in ["raw_data", "results", "reports"] {
            let path = dir + "/" + sub
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            for index in 0..<(2 + int(8)) {
                let bytes = Data(repeating: UInt8(ascii: "A"), count: 512 * (1 + int(64)))
                try bytes.write(to: URL(fileURLWithPath: "\(path)/file\(index).dat"))
            }
        }
        return dir
    }

    // MARK: - Helpers

    private mutating func write(_ project: Project?, _ app: String, _ name: String, _ json: String) -> CacheWrite {
        // Ages from minutes to months, most of them recent.
        let age = 120 * pow(2.0, Double(int(17)) + Double(int(100)) / 100)
        let user = int(5) == 0 ? nil : User(username: Self.users[int(Self.users.count)])
        return CacheWrite(
            appName: app, name: name, data: Data(json.utf8), project: project?.uuid, user: user,
            dateModified: now.addingTimeInterval(-min(age, 150 * 86400)))
    }

    private mutating func int(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
    private mutating func bool() -> String { rng.next() & 1 == 0 ? "true" : "false" }

    private mutating func uuid() -> UUID {
        let a = rng.next()
        let b = rng.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * i))
            bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * i))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

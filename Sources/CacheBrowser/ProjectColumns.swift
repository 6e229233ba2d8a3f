import Foundation
import JSONKit
import SodarCache

/// The project pane's columns beside the name, as many as its width leaves room for: the age
/// always; count and size while the name keeps 12 columns; the size bar only while a 24-column
/// name two levels deep keeps its room. A bar is a second look at the size beside it; a name cut
/// short is a project you cannot tell (issue 18).
struct ProjectColumns {
    /// The name a row is laid out for: `Translational Oncology` and a little more.
    static let nameColumns = 24
    /// Two levels of indent and the fold mark before such a name.
    static let nameRoom = 2 * 2 + 2 + nameColumns
    static let fullBarWidth = 6
    /// The pane width that shows every column beside `nameRoom`: the mark column and the gap,
    /// then count, size, bar and age, each with its gap.
    static let wantedWidth = 2 + nameRoom + 6 + 6 + (fullBarWidth + 1) + 5

    var showCount: Bool
    var showSize: Bool
    var barWidth: Int
    /// Columns left for the indent, the fold mark and the name (as `drawRow` leaves them).
    var textWidth: Int

    init(width: Int) {
        var room = width - 2 - 5
        showCount = room - 6 >= 12
        if showCount { room -= 6 }
        showSize = room - 6 >= 12
        if showSize { room -= 6 }
        barWidth = room - (Self.fullBarWidth + 1) >= Self.nameRoom ? Self.fullBarWidth : 0
        if barWidth > 0 { room -= barWidth + 1 }
        textWidth = max(1, room)
    }

    var barIndex: Int? { barWidth > 0 ? (showCount ? 1 : 0) + (showSize ? 1 : 0) : nil }
    var ageIndex: Int { (showCount ? 1 : 0) + (showSize ? 1 : 0) + (barWidth > 0 ? 1 : 0) }

    /// The indent of a row at `depth`: two columns a level while a 24-column name keeps its
    /// room, one column a level past that (the first level always two, the most common depth),
    /// and never so much that the name keeps fewer than 6. In a deep tree the indent gives
    /// before the name does, a column a level, so the fold marks still show every level.
    func indent(depth: Int) -> Int {
        guard depth > 0 else { return 0 }
        let spare = textWidth - 2 - Self.nameColumns
        let twoColumnLevels = min(depth, max(1, spare / 2))
        return min(twoColumnLevels * 2 + (depth - twoColumnLevels), max(0, textWidth - 2 - 6))
    }

    func cells(count: String, size: String, share: Double?, age: String) -> [(String, Int)] {
        var cells: [(String, Int)] = []
        if showCount { cells.append((count, 5)) }
        if showSize { cells.append((size, 5)) }
        if barWidth > 0 { cells.append((share.map { BrowserFormat.bar($0, width: barWidth) } ?? "", barWidth)) }
        cells.append((age, 4))
        return cells
    }
}

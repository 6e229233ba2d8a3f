import CacheBrowser
import Testing

/// Found by fuzzing the browser core (`fuzz/run.sh browser`): a confirmation dialog's border
/// drawn over the right half of a wide character left its left half claiming two columns.
@Suite struct ScreenCellTests {
    /// Every wide cell has its right half; every right half has its wide cell.
    func whole(_ screen: Screen, row: Int) -> Bool {
        (0..<screen.width).allSatisfy { column in
            switch screen[row, column].width {
            case 2: return column + 1 < screen.width && screen[row, column + 1].width == 0
            case 0: return column > 0 && screen[row, column - 1].width == 2
            default: return true
            }
        }
    }

    func text(_ screen: Screen, row: Int) -> String {
        (0..<screen.width).map { screen[row, $0].text }.joined()
    }

    /// Text put over text already on an 8-column row: writing over the right half of a wide
    /// character blanks its left half, over the left half its right half, and a wide
    /// character overlapping another leaves no halves.
    @Test(arguments: [
        (first: "ab東cd", over: "│", column: 3, row: "ab │cd  "),
        (first: "ab東cd", over: "x", column: 2, row: "abx cd  "),
        (first: "a東東", over: "京", column: 2, row: "a 京 " + "   "),
    ])
    func writingOverHalfAWideCharacterBlanksTheOtherHalf(_ example: (first: String, over: String, column: Int, row: String)) {
        var screen = Screen(width: 8, height: 1)
        screen.put(example.first, row: 0, column: 0)
        screen.put(example.over, row: 0, column: example.column)
        #expect(whole(screen, row: 0))
        #expect(text(screen, row: 0) == example.row)
    }

    @Test func fillingOverHalfAWideCharacterBlanksTheOtherHalf() {
        var screen = Screen(width: 6, height: 1)
        screen.put("東京", row: 0, column: 0)
        screen.fill(row: 0, from: 1, count: 2)
        #expect(whole(screen, row: 0))
        #expect(text(screen, row: 0) == "    " + "  ")
    }
}

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

    @Test func writingOverTheRightHalfBlanksTheLeftHalf() {
        var screen = Screen(width: 8, height: 1)
        screen.put("ab東cd", row: 0, column: 0)
        screen.put("│", row: 0, column: 3)
        #expect(whole(screen, row: 0))
        #expect(text(screen, row: 0) == "ab │cd  ")
    }

    @Test func writingOverTheLeftHalfBlanksTheRightHalf() {
        var screen = Screen(width: 8, height: 1)
        screen.put("ab東cd", row: 0, column: 0)
        screen.put("x", row: 0, column: 2)
        #expect(whole(screen, row: 0))
        #expect(text(screen, row: 0) == "abx cd  ")
    }

    @Test func aWideCharacterOverlappingAnotherLeavesNoHalves() {
        var screen = Screen(width: 8, height: 1)
        screen.put("a東東", row: 0, column: 0)
        screen.put("京", row: 0, column: 2)
        #expect(whole(screen, row: 0))
        #expect(text(screen, row: 0) == "a 京 " + "   ")
    }

    @Test func fillingOverHalfAWideCharacterBlanksTheOtherHalf() {
        var screen = Screen(width: 6, height: 1)
        screen.put("東京", row: 0, column: 0)
        screen.fill(row: 0, from: 1, count: 2)
        #expect(whole(screen, row: 0))
        #expect(text(screen, row: 0) == "    " + "  ")
    }
}

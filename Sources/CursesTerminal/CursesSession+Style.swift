import CNcursesw
import CacheBrowser

extension CursesSession {
    /// Foreground colours per role (-1: the terminal's own).
    static let palette: [CellRole: Int16] = [
        .header: Int16(COLOR_CYAN), .title: Int16(COLOR_CYAN), .key: Int16(COLOR_BLUE),
        .string: Int16(COLOR_GREEN), .number: Int16(COLOR_MAGENTA), .literal: Int16(COLOR_YELLOW),
        .stale: Int16(COLOR_RED), .error: Int16(COLOR_RED), .category: Int16(COLOR_YELLOW),
        .accent: Int16(COLOR_CYAN), .added: Int16(COLOR_GREEN), .removed: Int16(COLOR_RED),
    ]

    func definePairs(banner: BannerColor?) {
        var next: Int16 = 1
        for role in CellRole.allCases {
            guard let foreground = Self.palette[role] else { continue }
            init_pair(next, foreground, -1)
            setPair(role, next)
            next += 1
        }
        if let banner {
            let (foreground, background) = Self.bannerColors(banner)
            init_pair(next, foreground, background)
            setPair(.banner, next)
        }
    }

    /// Text and background of a profile's header bar: dark text on the light colours, white
    /// on the dark ones, so that the header stays readable.
    static func bannerColors(_ banner: BannerColor) -> (Int16, Int16) {
        switch banner {
        case .red: return (Int16(COLOR_WHITE), Int16(COLOR_RED))
        case .green: return (Int16(COLOR_BLACK), Int16(COLOR_GREEN))
        case .yellow: return (Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
        case .blue: return (Int16(COLOR_WHITE), Int16(COLOR_BLUE))
        case .magenta: return (Int16(COLOR_WHITE), Int16(COLOR_MAGENTA))
        case .cyan: return (Int16(COLOR_BLACK), Int16(COLOR_CYAN))
        case .white: return (Int16(COLOR_BLACK), Int16(COLOR_WHITE))
        }
    }

    /// Attributes and colour pair for a style; without colour, roles become attributes so
    /// nothing (stale marks, errors, the selection) depends on colour alone.
    func attributes(for style: CellStyle) -> (attr_t, Int16) {
        var attributes = shim_a_normal()
        if style.bold { attributes |= shim_a_bold() }
        if style.reverse { attributes |= shim_a_reverse() }
        if style.underline { attributes |= shim_a_underline() }
        if style.role == .dim { attributes |= shim_a_dim() }
        if hasColors {
            return (attributes, pairFor(style.role))
        }
        switch style.role {
        case .error, .stale, .key, .category, .title: attributes |= shim_a_bold()
        case .header, .selected: attributes |= shim_a_reverse()
        case .banner: attributes |= shim_a_reverse() | shim_a_bold()
        default: break
        }
        return (attributes, 0)
    }
}

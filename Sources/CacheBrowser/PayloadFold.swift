import Foundation
import JSONKit

/// An object or array spanning lines `startLine...endLine`.
public struct PayloadFold: Sendable, Hashable {
    public var startLine: Int
    public var endLine: Int
    public var childCount: Int
    public var isArray: Bool

    public init(startLine: Int, endLine: Int, childCount: Int, isArray: Bool) {
        self.startLine = startLine
        self.endLine = endLine
        self.childCount = childCount
        self.isArray = isArray
    }
}

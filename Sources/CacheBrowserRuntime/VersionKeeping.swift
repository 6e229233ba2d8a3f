import StoreKernel

/// A browsing source that keeps earlier versions of its items: the version list (`H`) and
/// the diff read them. Every `StoreEngine` offers these; a source that is not one (a test's
/// wrapper) conforms to say where its history and trash are.
public protocol VersionKeeping: Sendable {
    /// The store's history, where it keeps one.
    var history: (any ItemHistory)? { get }
    /// The store's trash, where it keeps one.
    var trash: (any TrashKeeping)? { get }
}

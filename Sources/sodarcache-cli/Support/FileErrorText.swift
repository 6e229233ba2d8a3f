import Foundation

/// Foundation's file errors in our words: "Cannot write /x/y: permission denied", never
/// "The operation could not be completed (NSCocoaErrorDomain error 512)".
enum FileErrorText {
    /// A one-line message for a Foundation (Cocoa or POSIX) error, or nil for other errors.
    static func message(for error: any Error) -> String? {
        guard error is CocoaError || error is POSIXError || (error as NSError).domain == NSCocoaErrorDomain
            || (error as NSError).domain == NSPOSIXErrorDomain
        else { return nil }
        let nsError = error as NSError
        let path = (nsError.userInfo[NSFilePathErrorKey] as? String)
            ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path
        var code: Int32? = nsError.domain == NSPOSIXErrorDomain ? Int32(nsError.code) : nil
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            code = Int32(underlying.code)
        }
        let reason = code.map { String(cString: strerror($0)).lowercased() } ?? "the file system refused it"
        let writing = (CocoaError.Code.fileWriteUnknown.rawValue...CocoaError.Code.fileWriteVolumeReadOnly.rawValue)
            .contains(nsError.code) && nsError.domain == NSCocoaErrorDomain
        let verb = writing ? "Cannot write" : "Cannot read"
        return path.map { "\(verb) \($0): \(reason)" } ?? "A file operation failed: \(reason)"
    }
}

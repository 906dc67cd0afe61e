#if canImport(Glibc)
import Glibc
#endif

/// Lists the regular files under some paths, for `scan`. Symbolic links are followed (a data
/// directory is often one), every directory is entered once (by device and inode), so a link
/// loop ends the descent with a warning instead of going round; a file reached by two paths is
/// listed once, under the first in path order. FIFOs, sockets and devices are never opened
/// (opening a FIFO would block), nor are the kernel's virtual filesystems entered.
public struct DirectoryWalker {
    public struct File: Sendable, Equatable {
        public var path: String
        public var size: Int64
    }

    public struct Warning: Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            /// A directory already entered through another path (a link loop, or two links).
            case alreadyVisited = "already-visited"
            /// A directory or file that cannot be read, or a path that does not exist.
            case unreadable
        }
        public var kind: Kind
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public struct Listing: Sendable {
        /// Regular files, sorted by path.
        public var files: [File] = []
        public var directories = 0
        /// Paths skipped: neither a regular file nor a directory (FIFOs, sockets, devices,
        /// dangling links).
        public var skipped = 0
        public var warnings: [Warning] = []
    }

    private struct Identity: Hashable { var device: UInt64; var inode: UInt64 }

    /// Walks `roots` (files or directories) depth first.
    public static func walk(_ roots: [String]) -> Listing {
        var listing = Listing()
        var seenDirectories = Set<Identity>()
        let kernel = kernelDevices()
        var files: [(file: File, id: Identity)] = []
        // Explicit stack: no recursion depth limit on deep trees.
        var stack = roots.reversed().map { normalized($0) }
        while let path = stack.popLast() {
            var st = stat()
            guard stat(path, &st) == 0 else {
                let reason = String(cString: strerror(errno))
                var lst = stat()
                if lstat(path, &lst) == 0 && (lst.st_mode & S_IFMT) == S_IFLNK {
                    // A dangling link (or one looping on itself) points at nothing to scan.
                    listing.skipped += 1
                    if errno == ELOOP {
                        listing.warnings.append(Warning(kind: .alreadyVisited, path: path, message: "symbolic link loop: \(reason)"))
                    }
                } else {
                    listing.warnings.append(Warning(kind: .unreadable, path: path, message: reason))
                }
                continue
            }
            let id = Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                files.append((File(path: path, size: Int64(st.st_size)), id))
            case S_IFDIR:
                guard seenDirectories.insert(id).inserted else {
                    listing.warnings.append(Warning(kind: .alreadyVisited, path: path,
                                                    message: "directory already scanned through another path (symbolic link loop?): skipped"))
                    continue
                }
                if kernel.contains(id.device) {
                    listing.skipped += 1
                    continue
                }
                listing.directories += 1
                guard let d = opendir(path) else {
                    listing.warnings.append(Warning(kind: .unreadable, path: path, message: String(cString: strerror(errno))))
                    continue
                }
                var names: [String] = []
                while let entry = readdir(d) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(d)
                // Reversed onto the stack so that names are visited in sorted order.
                for name in names.sorted().reversed() { stack.append(AOFLayout.join(path, name)) }
            default:
                listing.skipped += 1
            }
        }
        files.sort { $0.file.path < $1.file.path }
        var seenFiles = Set<Identity>()
        listing.files = files.filter { seenFiles.insert($0.id).inserted }.map(\.file)
        return listing
    }

    /// The devices of /proc and /sys: the kernel's files, no persistence files among them, and
    /// some block on read (/proc/kmsg). Their own sub-mounts are reached only through them.
    static func kernelDevices() -> Set<UInt64> {
        var devices = Set<UInt64>()
        for path in ["/proc", "/sys"] {
            var st = stat()
            if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { devices.insert(UInt64(st.st_dev)) }
        }
        return devices
    }

    static func normalized(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }
}

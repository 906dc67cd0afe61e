import ArgumentParser
import RDBKit

// Library enums named by their raw values on the command line (argument parser's defaults for
// String-backed, CaseIterable enums), instead of a wrapper type each.
extension MemoryModel.Version: ExpressibleByArgument {}
extension TopKeys.Ranking: ExpressibleByArgument {}
extension MemoryRowWriter.Format: ExpressibleByArgument {}

import ArgumentParser
import Debugger

// The choices of --tables, --snapshots and --format come from these types:
// argument-parser parses them, refuses anything else, and lists them in --help.
extension TablePolicy: ExpressibleByArgument {}
extension SnapshotPolicy: ExpressibleByArgument {}
extension PictureFormat: ExpressibleByArgument {}
extension FlowLabels: ExpressibleByArgument {}
extension GradColumn: ExpressibleByArgument {}

import AllocationLedger
import ArgumentParser
import ComplianceService
import ComputeMetrics
import DiffusionRules
import Foundation
import RuleData
import StrictYAML
import TabularIO

/// Bad input found by a command itself (a bad `--as-of`, an unknown regime): one line, exit 1.
public struct InputError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs the root command with the exit codes of formats.md: 0 success, 1 bad input (nothing
/// recorded), 2 bad usage.
public enum CommandLineEntry {
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        do {
            var command = try AIDiffusion.parseAsRoot(arguments)
            try command.run()
            exit(0)
        } catch let error as CSVInputError {
            fail(error.description)
        } catch let error as YAMLInputError {
            fail(error.description)
        } catch let error as InputError {
            fail(error.message)
        } catch let error as UnknownItemError {
            fail(error.description)
        } catch let error as RuleDataError {
            fail(error.message)
        } catch let error as RuleBookError {
            fail(error.message)
        } catch let error as LedgerError {
            fail(error.message)
        } catch let error as ServiceError {
            fail(error.message)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch {
            let code = AIDiffusion.exitCode(for: error)
            if code == .success {
                AIDiffusion.exit(withError: error) // --help, --version
            }
            printError(AIDiffusion.fullMessage(for: error))
            exit(2)
        }
    }

    private static func fail(_ message: String) -> Never {
        printError("error: " + message)
        exit(1)
    }
}

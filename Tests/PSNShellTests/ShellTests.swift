import Testing
@testable import PSNShell

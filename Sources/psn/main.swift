import PSNCore
import PSNShell
print("psn")

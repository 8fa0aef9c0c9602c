import PSNCore

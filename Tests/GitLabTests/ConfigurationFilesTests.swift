import Testing

@testable import GitLab

/// Where the glab and ciauth configuration files are looked for: only absolute directories count.
@Suite struct ConfigurationFilesTests {
    @Test func absoluteDirectoriesAreUsed() {
        let environment = ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]
        #expect(ConfigurationFiles.ciauthConfigPath(environment: environment) == "/x/ciauth/config.toml")
        #expect(ConfigurationFiles.glabConfigPath(environment: environment) == "/x/glab-cli/config.yml")
        #expect(ConfigurationFiles.glabConfigPath(environment: ["GLAB_CONFIG_DIR": "/g", "HOME": "/h"]) == "/g/config.yml")
        #expect(ConfigurationFiles.ciauthConfigPath(environment: ["HOME": "/h"]) == "/h/.config/ciauth/config.toml")
    }

    @Test(arguments: ["", "rel", "./rel", "rel/dir", "~/x"])
    func relativeOrEmptyXDGConfigHomeIsIgnored(value: String) {
        let environment = ["XDG_CONFIG_HOME": value, "HOME": "/h"]
        #expect(ConfigurationFiles.ciauthConfigPath(environment: environment) == "/h/.config/ciauth/config.toml")
        #expect(ConfigurationFiles.glabConfigPath(environment: environment) == "/h/.config/glab-cli/config.yml")
    }

    @Test(arguments: ["", "rel", "./glab"])
    func relativeOrEmptyGlabConfigDirIsIgnored(value: String) {
        let environment = ["GLAB_CONFIG_DIR": value, "HOME": "/h"]
        #expect(ConfigurationFiles.glabConfigPath(environment: environment) == "/h/.config/glab-cli/config.yml")
    }

    @Test func relativeHomeGivesNoFile() {
        #expect(ConfigurationFiles.ciauthConfigPath(environment: ["HOME": "h"]) == nil)
        #expect(ConfigurationFiles.glabConfigPath(environment: ["XDG_CONFIG_HOME": "x", "HOME": ""]) == nil)
    }
}

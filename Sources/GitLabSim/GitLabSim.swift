// GitLabSim

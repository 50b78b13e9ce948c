import GitLabSim

print("gitlab-sim: not yet available")

// GitLab

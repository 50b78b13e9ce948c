// SSHSig

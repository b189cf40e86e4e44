import AIDiffusionCLI

CommandLineEntry.main()

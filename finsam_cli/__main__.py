from finsam_cli.cli.app import main

main()

from finsam_cli.app import main

main()

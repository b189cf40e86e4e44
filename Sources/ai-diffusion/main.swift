print("ai-diffusion")

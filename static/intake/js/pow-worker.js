/* built by frontend/: npm run build */
